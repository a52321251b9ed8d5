import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { apiVideoUpload } from "../../../functions/handlers/apivideo/upload";
import { createStepHandler } from "../../../functions/handlers/core/createStepHandler";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";
import { ApiVideoClient } from "../../../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../../../functions/providers/apivideo/ApiVideoSimulator";

const MIB = 1024 * 1024;
const bytes = Buffer.alloc(12 * MIB, 7);
bytes.write("a file big enough for three 5 MiB chunks");
const s3 = mockClient(S3Client);

/** S3's answer to a ranged GET of `bytes`: the SDK body's byte-array reader is all the code uses. */
function rangedGet(input: { Range?: string }) {
  const [start, end] = (input.Range ?? "").replace("bytes=", "").split("-").map(Number) as [number, number];
  const chunk = bytes.subarray(start, end + 1);
  return {
    Body: { transformToByteArray: async () => new Uint8Array(chunk) } as never,
    ContentLength: chunk.length,
  };
}

function context(remainingMs: () => number): Context {
  return { getRemainingTimeInMillis: remainingMs } as Context;
}

function uploadEvent(progress: Record<string, unknown> = {}) {
  const job = parseJobSpec({
    jobId: "job-upload-1",
    provider: "apivideo",
    // Not a suffix the source check probes: these bytes are a pattern, not a video.
    source: { bucket: "inbox", key: "match/final.mkv" },
    apivideo: { chunkSizeMiB: 5 },
  });
  return { stage: "upload", job, progress };
}

let simulator: ApiVideoSimulator;
let handler: ReturnType<typeof createStepHandler>;

beforeEach(() => {
  // Prepare: S3 answers ranged GETs from the buffer; api.video is the simulator without a socket.
  s3.reset();
  s3.on(HeadObjectCommand).resolves({ ContentLength: bytes.length, ETag: '"etag-1"' });
  s3.on(GetObjectCommand).callsFake(rangedGet);
  simulator = new ApiVideoSimulator({ processingMs: 0 });
  const apiVideo = new ApiVideoClient({
    baseUrl: "http://simulator.invalid",
    apiKey: simulator.apiKey,
    fetch: simulator.server.inMemoryFetch(),
  });
  handler = createStepHandler(apiVideoUpload, async () => ({
    apiVideo,
    s3: new S3Client({ region: "eu-west-1" }),
  }));
});

describe("api.video upload handler", () => {
  it("streams the S3 object in ranged chunks and api.video receives it whole", async () => {
    // Act
    const result = (await handler(
      uploadEvent(),
      context(() => 900_000),
    )) as { videoId: string; done: boolean };

    // Assess
    expect(result).toMatchObject({ done: true, nextOffset: bytes.length, totalBytes: bytes.length });
    const ranges = s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Range);
    expect(ranges).toEqual(["bytes=0-5242879", "bytes=5242880-10485759", "bytes=10485760-12582911"]);
    expect(s3.commandCalls(GetObjectCommand).every((call) => call.args[0].input.IfMatch === '"etag-1"')).toBe(
      true,
    );
    const upload = simulator.video(result.videoId)?.upload;
    expect(upload?.complete).toBe(true);
    expect(upload?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("stops a slice when the Lambda runs short of time and resumes where it stopped", async () => {
    // Prepare: time runs out after the first chunk.
    let remaining = 900_000;
    s3.on(GetObjectCommand).callsFake((input: { Range?: string }) => {
      remaining = 10_000;
      return rangedGet(input);
    });

    // Act
    const first = (await handler(
      uploadEvent(),
      context(() => remaining),
    )) as { videoId: string; nextOffset: number };
    remaining = 900_000;
    s3.on(GetObjectCommand).callsFake(rangedGet);
    const second = await handler(
      uploadEvent({ upload: { value: first } }),
      context(() => remaining),
    );

    // Assess
    expect(first).toMatchObject({ done: false, nextOffset: 5 * MIB });
    expect(second).toMatchObject({ done: true, videoId: first.videoId, nextOffset: bytes.length });
    expect(simulator.server.count("POST /videos")).toBe(1);
    expect(simulator.video(first.videoId)?.upload?.complete).toBe(true);
  });

  it("finds the video a failed attempt created instead of creating a second one", async () => {
    // Prepare: the first attempt creates the video, then S3 fails mid-upload.
    s3.on(GetObjectCommand).rejectsOnce(new Error("S3 is having a moment"));
    await expect(
      handler(
        uploadEvent(),
        context(() => 900_000),
      ),
    ).rejects.toThrow(/S3 is having a moment/);
    s3.on(GetObjectCommand).callsFake(rangedGet);

    // Act
    const retried = (await handler(
      uploadEvent(),
      context(() => 900_000),
    )) as { done: boolean };

    // Assess
    expect(retried.done).toBe(true);
    expect(simulator.server.count("POST /videos")).toBe(1);
  });

  it("makes a lost answer to the create retryable, because the retry looks the video up first", async () => {
    // Prepare: api.video creates the video, but the answer never arrives.
    simulator.server.faults.dropAnswer({ times: 1, route: "POST /videos" });

    // Act
    const lost = (await handler(
      uploadEvent(),
      context(() => 900_000),
    ).catch((e: unknown) => e)) as Error;
    const retried = (await handler(
      uploadEvent(),
      context(() => 900_000),
    )) as { done: boolean };

    // Assess
    expect(lost.name).toBe("ProviderUnavailableError");
    expect(JSON.parse(lost.message).message).toMatch(/looks it up by job id first/);
    expect(retried.done).toBe(true);
    expect(simulator.server.count("GET /videos")).toBe(2);
    expect(simulator.server.count("POST /videos")).toBe(1);
  });

  it("rejects an event without a job, naming the field, before any call", async () => {
    // Act
    const error = (await handler(
      { stage: "upload", progress: {} },
      context(() => 900_000),
    ).catch((e: unknown) => e)) as Error;

    // Assess
    expect(error.name).toBe("InvalidInputError");
    expect(JSON.parse(error.message)).toMatchObject({
      stage: "upload",
      problems: expect.arrayContaining([expect.objectContaining({ field: "job" })]),
    });
    expect(s3.calls()).toHaveLength(0);
    expect(simulator.server.log).toHaveLength(0);
  });
});
