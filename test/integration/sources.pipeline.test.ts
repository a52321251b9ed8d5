import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { PROVIDERS, type Provider } from "../../functions/pipeline/jobSpec";
import { uploadJobId } from "../../functions/uploads/startJobFromUpload";
import { useLocalStack } from "./localStackFixture";

const { context, s3, run } = useLocalStack();

async function put(key: string, fixture: string): Promise<string> {
  const body = await readFile(new URL(`../fixtures/${fixture}`, import.meta.url));
  const answer = await context.stack.s3.send(
    new PutObjectCommand({ Bucket: context.stack.bucket, Key: key, Body: body }),
  );
  return (answer.ETag ?? "").replace(/"/g, "");
}

/** The requests a provider's simulator received from `from` on that are not reads. */
function writesTo(provider: Provider, from: number) {
  const log = context.stack.simulators[provider]?.server.log ?? [];
  return log.slice(from).filter((entry) => entry.method !== "GET");
}

describe("every S3 source is checked before a provider sees it", () => {
  it.each(PROVIDERS)("fails a %s job whose S3 object does not exist, naming sources.0", async (provider) => {
    // Prepare
    const before = context.stack.simulators[provider]?.server.log.length ?? 0;
    const key = `inbox/never-uploaded-${provider}.mp4`;

    // Act
    const { outcome } = await run({ provider, source: { bucket: context.stack.bucket, key } });

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider, error: "InvalidInputError", field: "sources.0" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toContain(
      `sources.0: no such S3 object (got "s3://${context.stack.bucket}/${key}")`,
    );
    expect(writesTo(provider, before)).toEqual([]);
  });

  it("names the bad one of many Vidori sources before importing any", async () => {
    // Prepare
    const before = context.stack.simulators.vidori?.server.log.length ?? 0;

    // Act
    const { outcome } = await run({
      provider: "vidori",
      sources: [s3("sample-4s-landscape.mp4"), { url: "https://cdn.example.com/a.mp4" }, s3("truncated.mp4")],
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { error: "InvalidInputError", field: "sources.2" },
    });
    expect(writesTo("vidori", before)).toEqual([]);
  });

  describe.each(["vidori", "apivideo"] as const)("an upload into inbox/%s/", (provider) => {
    it.each([
      { fixture: "empty.mp4", problem: "is empty (0 bytes)" },
      { fixture: "truncated.mp4", problem: "cannot be read as a video: the file is cut short" },
      { fixture: "not-a-video.mp4", problem: "cannot be read as a video: no MP4/MOV movie header" },
    ])("of $fixture ends failed, naming sources.0, never succeeded", async ({ fixture, problem }) => {
      // Prepare
      const before = context.stack.simulators[provider]?.server.log.length ?? 0;
      const key = `inbox/${provider}/upload-${fixture}`;

      // Act
      const eTag = await put(key, fixture);
      await context.stack.idle();

      // Assess
      const jobId = uploadJobId({ bucket: context.stack.bucket, key, eTag });
      const execution = await context.stack.runs.describe(jobId);
      expect(execution?.status).toBe("FAILED");
      const record = JSON.parse(execution?.cause ?? "{}");
      expect(record).toMatchObject({
        status: "failed",
        provider,
        error: "InvalidInputError",
        field: "sources.0",
      });
      expect(record.message).toContain(`sources.0: ${problem}`);
      expect(writesTo(provider, before)).toEqual([]);
    });
  });
});

describe("a job reads exactly the upload that started it", () => {
  it("carries the ETag of the upload's event into the job", async () => {
    // Act
    const eTag = await put("inbox/vidori/pinned-by-event.mp4", "sample-4s-landscape.mp4");
    await context.stack.idle();

    // Assess
    const key = "inbox/vidori/pinned-by-event.mp4";
    const execution = await context.stack.runs.describe(
      uploadJobId({ bucket: context.stack.bucket, key, eTag }),
    );
    expect(execution?.job.sources).toEqual([{ bucket: context.stack.bucket, key, etag: eTag }]);
    expect(execution?.status).toBe("SUCCEEDED");
  });

  // s3rver keeps no versions and ignores If-Match: the ETag is what pins a local job, compared by the
  // pipeline itself with every HEAD and GET answer. Version ids are pinned the same way on AWS (unit tests).
  it.each(["apivideo", "vidori", "videodev", "viostream", "vidio"] as const)(
    "fails a %s job whose object was overwritten after its upload, instead of reading the new bytes",
    async (provider) => {
      // Prepare
      const key = `pinned/${provider}/clip.mp4`;
      const firstUpload = await put(key, "sample-4s-landscape.mp4");
      await put(key, "sample-6s-moov-at-end.mp4");
      const before = context.stack.simulators[provider]?.server.log.length ?? 0;

      // Act
      const { outcome } = await run({
        provider,
        source: { bucket: context.stack.bucket, key, etag: firstUpload },
      });

      // Assess
      expect(outcome).toMatchObject({
        status: "failed",
        record: { error: "InvalidInputError", field: "sources.0" },
      });
      expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(
        /sources\.0: changed since the upload that started this job; the new upload starts its own job/,
      );
      expect(writesTo(provider, before)).toEqual([]);
    },
  );

  it("reads an object whose ETag is still the upload's", async () => {
    // Prepare
    const key = "pinned/apivideo/unchanged.mp4";
    const etag = await put(key, "sample-4s-landscape.mp4");

    // Act
    const { outcome } = await run({
      provider: "apivideo",
      source: { bucket: context.stack.bucket, key, etag },
    });

    // Assess
    expect(outcome).toMatchObject({ status: "succeeded" });
  });
});
