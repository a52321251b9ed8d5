import type { Context, S3Event } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createUploadHandler } from "../../../functions/handlers/uploads/startJobFromUpload";
import type { UploadOutcome } from "../../../functions/uploads/startJobFromUpload";
import { LocalJobRuns } from "../../../local/LocalJobRuns";
import { fakeBucket } from "../fakeBucket";

const BUCKET = "vidstep-sources";

/** An S3 notification of one created object, its key encoded as S3 encodes it. */
function created(key: string, eTag: string, eventName = "ObjectCreated:Put"): S3Event {
  const encoded = key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, "+"))
    .join("/");
  return {
    Records: [
      {
        eventName,
        s3: { bucket: { name: BUCKET }, object: { key: encoded, eTag, size: 1, sequencer: "00A" } },
      },
    ],
  } as unknown as S3Event;
}

let bucket: ReturnType<typeof fakeBucket>;
let runs: LocalJobRuns;
let handle: (event: S3Event) => Promise<UploadOutcome[]>;

/** Puts an object into the fake bucket and returns its notification. */
function upload(key: string, body: string): S3Event {
  bucket.objects.set(key, body);
  return created(key, bucket.etagOf(body));
}

beforeEach(() => {
  // Prepare: executions never end, so each test sees exactly the executions it started.
  bucket = fakeBucket();
  runs = new LocalJobRuns({ run: () => new Promise(() => undefined) });
  const handler = createUploadHandler(async () => ({ runs, s3: bucket.s3, bucket: BUCKET }));
  handle = (event) => handler(event, {} as Context);
});

describe("startJobFromUpload", () => {
  it("starts one execution when S3 delivers the same record twice", async () => {
    // Prepare
    const event = upload("inbox/vidio/match.mp4", "video bytes");

    // Act
    const first = await handle(event);
    const second = await handle(event);

    // Assess
    expect(first).toEqual([expect.objectContaining({ outcome: "started" })]);
    expect(second).toEqual([{ ...first[0], outcome: "duplicate" }]);
    expect(runs.names()).toHaveLength(1);
    const execution = await runs.describe(runs.names()[0] as string);
    expect(execution?.job).toMatchObject({
      provider: "vidio",
      sources: [{ bucket: BUCKET, key: "inbox/vidio/match.mp4" }],
      vidio: { videoCategory: "others" },
    });
  });

  it("starts one execution with the sidecar's spec when the sidecar lands first", async () => {
    // Prepare
    const sidecar = upload("inbox/clip.job.json", JSON.stringify({ provider: "videodev", title: "Clip" }));

    // Act
    const beforeVideo = await handle(sidecar);
    const video = await handle(upload("inbox/clip.MOV", "video bytes"));
    const sidecarAgain = await handle(sidecar);

    // Assess
    expect(beforeVideo).toEqual([expect.objectContaining({ outcome: "ignored" })]);
    expect(video).toEqual([expect.objectContaining({ outcome: "started", key: "inbox/clip.MOV" })]);
    expect(sidecarAgain).toEqual([expect.objectContaining({ outcome: "duplicate" })]);
    expect(runs.names()).toHaveLength(1);
    expect((await runs.describe(runs.names()[0] as string))?.job).toMatchObject({
      provider: "videodev",
      title: "Clip",
    });
  });

  it("starts one execution when the sidecar lands after its video", async () => {
    // Prepare
    const video = upload("inbox/reels/final cut.webm", "video bytes");

    // Act
    const beforeSidecar = await handle(video);
    const sidecar = await handle(upload("inbox/reels/final cut.webm.job.json", '{"provider":"vidori"}'));
    const videoAgain = await handle(video);

    // Assess
    expect(beforeSidecar).toEqual([
      expect.objectContaining({ outcome: "ignored", reason: expect.stringContaining("final cut.job.json") }),
    ]);
    expect(sidecar).toEqual([
      expect.objectContaining({ outcome: "started", key: "inbox/reels/final cut.webm" }),
    ]);
    expect(videoAgain).toEqual([
      expect.objectContaining({ outcome: "duplicate", jobId: (sidecar[0] as { jobId: string }).jobId }),
    ]);
    expect(runs.names()).toEqual([expect.stringMatching(/^final-cut-[0-9a-f]{24}$/)]);
  });

  it("pins the job to the version and ETag of the upload that started it", async () => {
    // Prepare
    bucket.objects.set("inbox/viostream/talk.mp4", "video bytes");
    const event = created("inbox/viostream/talk.mp4", "0123abcd");
    const versioned = created("inbox/viostream/talk.mp4", "4567cdef");
    Object.assign(versioned.Records[0]?.s3.object ?? {}, { versionId: "3HL4kqtJlcpXroDTDmJ" });

    // Act
    await handle(event);
    await handle(versioned);

    // Assess
    const jobs = await Promise.all(runs.names().map((name) => runs.describe(name)));
    expect(jobs.map((execution) => execution?.job.sources)).toEqual([
      [{ bucket: BUCKET, key: "inbox/viostream/talk.mp4", etag: "0123abcd" }],
      [
        {
          bucket: BUCKET,
          key: "inbox/viostream/talk.mp4",
          versionId: "3HL4kqtJlcpXroDTDmJ",
          etag: "4567cdef",
        },
      ],
    ]);
  });

  it("starts another execution for new bytes under the same key", async () => {
    // Act
    await handle(upload("inbox/apivideo/a.mp4", "first take"));
    await handle(upload("inbox/apivideo/a.mp4", "second take"));

    // Assess
    expect(runs.names()).toHaveLength(2);
  });

  it("ignores what is not a video under inbox/, saying why", async () => {
    // Act
    const outcomes = [
      ...(await handle(upload("inbox/notes.txt", "text"))),
      ...(await handle(upload("outbox/vidio/a.mp4", "video"))),
      ...(await handle(upload("inbox/unsorted/a.mp4", "video"))),
      ...(await handle(created("inbox/vidio/gone.mp4", "e", "ObjectRemoved:Delete"))),
    ];

    // Assess
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(["ignored", "ignored", "ignored", "ignored"]);
    expect(outcomes.map((outcome) => (outcome as { reason: string }).reason)).toEqual([
      expect.stringContaining("neither a video"),
      expect.stringContaining("not under inbox/"),
      expect.stringContaining("inbox/<provider>/"),
      expect.stringContaining("ObjectRemoved:Delete"),
    ]);
    expect(runs.names()).toEqual([]);
  });

  it("decodes keys as S3 encodes them and matches suffixes in any case", async () => {
    // Act
    const [outcome] = await handle(upload("inbox/vidio/My Film+Cut (1).MKV", "video"));

    // Assess
    expect(outcome).toMatchObject({ outcome: "started", key: "inbox/vidio/My Film+Cut (1).MKV" });
  });

  it("rejects a bad sidecar next to it, naming every field and value, without starting or throwing", async () => {
    // Prepare
    upload(
      "inbox/bad.job.json",
      JSON.stringify({ provider: "vidio", vidio: { aspectRatio: "round" }, jobId: "x" }),
    );

    // Act
    const [outcome] = await handle(upload("inbox/bad.mp4", "video"));

    // Assess
    expect(outcome).toMatchObject({ outcome: "rejected", rejection: "inbox/bad.errors.json" });
    const written = JSON.parse(String(bucket.objects.get("inbox/bad.errors.json") ?? "{}"));
    expect(written).toMatchObject({ video: "inbox/bad.mp4", sidecar: "inbox/bad.job.json" });
    expect(written.problems).toEqual([expect.objectContaining({ field: "jobId", value: "x" })]);
    expect(runs.names()).toEqual([]);
  });

  it("rejects a sidecar's bad options with every field and value", async () => {
    // Prepare
    upload(
      "inbox/bad.job.json",
      JSON.stringify({ provider: "vidio", vidio: { aspectRatio: "round" }, colour: 1 }),
    );

    // Act
    const [outcome] = await handle(upload("inbox/bad.mp4", "video"));

    // Assess
    expect((outcome as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ field: "vidio.aspectRatio", value: "round" }),
      expect.objectContaining({ field: "colour", problem: "is not a known field" }),
    ]);
  });
});
