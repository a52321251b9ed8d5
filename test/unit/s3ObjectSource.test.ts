import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { sourceUrlFor } from "../../functions/pipeline/presignedSourceUrl";
import { SourceChangedError, s3ObjectSource, s3ObjectStream } from "../../functions/pipeline/s3ObjectSource";
import { fakeVersionedBucket } from "./fakeVersionedBucket";

const BUCKET = "vidstep-sources";
const bytes = (text: string) => new TextEncoder().encode(text);

let bucket: ReturnType<typeof fakeVersionedBucket>;

beforeEach(() => {
  bucket = fakeVersionedBucket();
});

describe("s3ObjectSource", () => {
  it("refuses to open an object whose content is no longer the pinned ETag's", async () => {
    // Prepare
    const first = bucket.put("in/a.mkv", bytes("first upload"));
    bucket.put("in/a.mkv", bytes("a later upload"));

    // Act
    const opened = s3ObjectSource(bucket.s3, BUCKET, "in/a.mkv", { etag: first.etag });

    // Assess
    await expect(opened).rejects.toThrow(SourceChangedError);
    await expect(opened).rejects.toThrow(/changed since the upload that started this job/);
  });

  it.each([
    { store: "S3, which answers If-Match with 412", ignoreIfMatch: false },
    { store: "a store that ignores If-Match (s3rver)", ignoreIfMatch: true },
  ])("fails a read when the object is replaced after it was opened, on $store", async ({ ignoreIfMatch }) => {
    // Prepare
    bucket.put("in/a.mkv", bytes("first upload"));
    const source = await s3ObjectSource(bucket.s3, BUCKET, "in/a.mkv");
    bucket.put("in/a.mkv", bytes("a later upload"));
    bucket.state.ignoreIfMatch = ignoreIfMatch;

    // Act
    const read = source.read(0, 4);

    // Assess: the ETag of the first HEAD is pinned, sent as If-Match and compared with the answer's
    await expect(read).rejects.toThrow(SourceChangedError);
    expect(bucket.mock.commandCalls(GetObjectCommand)[0]?.args[0].input.IfMatch).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("streams the pinned version even when a newer one exists", async () => {
    // Prepare
    const first = bucket.put("in/a.mkv", bytes("first upload"));
    bucket.put("in/a.mkv", bytes("a later upload"));

    // Act
    const { size, body } = await s3ObjectStream(bucket.s3, BUCKET, "in/a.mkv", first);

    // Assess
    expect(size).toBe(12);
    expect(await new Response(body).text()).toBe("first upload");
  });
});

describe("sourceUrlFor", () => {
  it("presigns the version the job was started for", async () => {
    // Prepare
    const s3 = new S3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    });

    // Act
    const url = new URL(
      await sourceUrlFor(s3, { bucket: BUCKET, key: "in/a.mp4", versionId: "v7", etag: "abc" }),
    );

    // Assess
    expect(url.pathname).toMatch(/in\/a\.mp4$/);
    expect(url.searchParams.get("versionId")).toBe("v7");
  });
});
