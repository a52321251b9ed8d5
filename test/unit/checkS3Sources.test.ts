import { readFile } from "node:fs/promises";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { toStepFailure } from "../../functions/handlers/core/stepFailure";
import { checkS3Sources } from "../../functions/pipeline/checkS3Sources";
import type { JobSource } from "../../functions/pipeline/jobSpec";
import { sourceReader } from "../../functions/pipeline/sourceReader";
import { ProviderUnavailableError } from "../../functions/providers/core/errors";
import { InvalidInputError } from "../../functions/providers/core/InvalidInputError";
import { recordFailure } from "../../functions/steps/recordFailure";
import { fakeVersionedBucket, s3Error } from "./fakeVersionedBucket";

const BUCKET = "vidstep-sources";

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../fixtures/${name}`, import.meta.url)));
}

let bucket: ReturnType<typeof fakeVersionedBucket>;

beforeEach(() => {
  bucket = fakeVersionedBucket();
});

const at = (key: string, pin: Partial<JobSource> = {}): JobSource => ({ bucket: BUCKET, key, ...pin });
const check = (sources: JobSource[], firstIndex?: number) =>
  checkS3Sources(sources, sourceReader(bucket.s3), firstIndex);

/** The InvalidInputError a check throws, or a failure of the test when it throws nothing or another. */
async function problemsOf(sources: JobSource[], firstIndex?: number) {
  const error = await check(sources, firstIndex).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).problems;
}

describe("checkS3Sources", () => {
  it("passes MP4 and MOV sources and reports what their containers say", async () => {
    // Prepare
    bucket.put("in/a.mp4", await fixture("sample-4s-landscape.mp4"));
    bucket.put("in/b.MOV", await fixture("sample-3s-portrait.MOV"));

    // Act
    const checked = await check([at("in/a.mp4"), at("in/b.MOV")]);

    // Assess
    expect(checked).toEqual([
      { size: 92677, container: { durationSeconds: 4, width: 320, height: 180 } },
      { size: 63849, container: expect.objectContaining({ durationSeconds: 3 }) },
    ]);
  });

  it.each([
    { name: "a missing object", key: "in/gone.mp4", bytes: undefined, problem: "no such S3 object" },
    { name: "an empty object", key: "in/empty.mp4", bytes: "empty.mp4", problem: "is empty (0 bytes)" },
    {
      name: "a truncated MP4",
      key: "in/cut.mp4",
      bytes: "truncated.mp4",
      problem: expect.stringMatching(/^cannot be read as a video: the file is cut short/),
    },
    {
      name: "text named .mp4",
      key: "in/text.mp4",
      bytes: "not-a-video.mp4",
      problem: expect.stringMatching(/^cannot be read as a video: no MP4\/MOV movie header/),
    },
  ])("refuses $name, naming sources.N and the object", async ({ key, bytes, problem }) => {
    // Prepare
    if (bytes) bucket.put(key, await fixture(bytes));

    // Act
    const problems = await problemsOf([at(key)]);

    // Assess
    expect(problems).toEqual([{ field: "sources.0", problem, value: `s3://${BUCKET}/${key}` }]);
  });

  it("ends in a failure record that names the source's field", async () => {
    // Prepare
    const thrown = await check([at("in/gone.mp4")]).catch((error: unknown) => error);
    const failure = toStepFailure(thrown, "upload");

    // Act
    const record = recordFailure(
      { jobId: "job-1", provider: "apivideo" },
      { upload: { Error: failure.name, Cause: JSON.stringify({ errorMessage: failure.message }) } },
    );

    // Assess
    expect(record).toMatchObject({
      status: "failed",
      step: "upload",
      error: "InvalidInputError",
      field: "sources.0",
      message: expect.stringContaining(`sources.0: no such S3 object (got "s3://${BUCKET}/in/gone.mp4")`),
    });
  });

  it("reports every bad source at once, at its index in the job", async () => {
    // Prepare
    bucket.put("in/good.mp4", await fixture("sample-4s-landscape.mp4"));
    bucket.put("in/empty.mov", new Uint8Array());

    // Act
    const problems = await problemsOf([at("in/good.mp4"), at("in/gone.m4v"), at("in/empty.mov")], 50);

    // Assess
    expect(problems.map((problem) => problem.field)).toEqual(["sources.51", "sources.52"]);
  });

  it("reads no container it cannot check and never reads URL sources", async () => {
    // Prepare
    bucket.put("in/clip.mkv", new TextEncoder().encode("not parsed here"));

    // Act
    const checked = await check([at("in/clip.mkv"), { url: "https://cdn.example.com/a.mp4" }]);

    // Assess
    expect(checked).toEqual([{ size: 15 }, undefined]);
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(bucket.mock.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });

  it("keeps a passing S3 fault retryable instead of blaming the source", async () => {
    // Prepare
    bucket.put("in/a.mp4", await fixture("sample-4s-landscape.mp4"));
    bucket.failNext(s3Error("SlowDown", 503));

    // Act
    const error = await check([at("in/a.mp4")]).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toMatch(/s3:\/\/vidstep-sources\/in\/a\.mp4.*SlowDown/);
  });

  it("names a source the pipeline may not read, without retrying it", async () => {
    // Prepare
    bucket.failNext(s3Error("AccessDenied", 403));

    // Act
    const problems = await problemsOf([at("in/secret.mp4")]);

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({ field: "sources.0", problem: expect.stringMatching(/access denied/) }),
    ]);
  });

  it("refuses an object replaced since the upload that started the job", async () => {
    // Prepare
    const first = bucket.put("in/a.mp4", await fixture("sample-4s-landscape.mp4"));
    bucket.put("in/a.mp4", await fixture("sample-6s-moov-at-end.mp4"));

    // Act
    const problems = await problemsOf([at("in/a.mp4", { etag: first.etag })]);

    // Assess
    expect(problems).toEqual([
      {
        field: "sources.0",
        problem: "changed since the upload that started this job; the new upload starts its own job",
        value: `s3://${BUCKET}/in/a.mp4`,
      },
    ]);
  });

  it("reads the version the job was started for, not a newer one", async () => {
    // Prepare
    const first = bucket.put("in/a.mp4", await fixture("sample-4s-landscape.mp4"));
    bucket.put("in/a.mp4", await fixture("not-a-video.mp4"));

    // Act
    const checked = await check([at("in/a.mp4", first)]);

    // Assess
    expect(checked[0]?.container?.durationSeconds).toBe(4);
    const versions = [
      ...bucket.mock.commandCalls(HeadObjectCommand),
      ...bucket.mock.commandCalls(GetObjectCommand),
    ].map((call) => call.args[0].input.VersionId);
    expect(new Set(versions)).toEqual(new Set([first.versionId]));
  });

  it("names a version that no longer exists as missing", async () => {
    // Prepare
    bucket.put("in/a.mp4", await fixture("sample-4s-landscape.mp4"));

    // Act
    const problems = await problemsOf([at("in/a.mp4", { versionId: "deleted-version" })]);

    // Assess
    expect(problems).toEqual([expect.objectContaining({ field: "sources.0", problem: "no such S3 object" })]);
  });

  it("checks hundreds of sources a few at a time", async () => {
    // Prepare
    const bytes = await fixture("sample-4s-landscape.mp4");
    const sources = Array.from({ length: 120 }, (_, i) => {
      bucket.put(`in/${i}.mp4`, bytes);
      return at(`in/${i}.mp4`);
    });

    // Act
    const checked = await check(sources);

    // Assess
    expect(checked).toHaveLength(120);
    expect(bucket.state.maxInFlight).toBeGreaterThan(1);
    expect(bucket.state.maxInFlight).toBeLessThanOrEqual(8);
  });
});
