import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalS3 } from "../../local/LocalS3";

describe("LocalS3", () => {
  let server: LocalS3;
  beforeAll(async () => {
    server = await LocalS3.start("atomic");
  });
  afterAll(async () => {
    await server.stop();
  });

  it("never serves half an object while it is being overwritten, as S3 never does", async () => {
    // Prepare
    const s3 = server.client();
    const document = JSON.stringify({ taskToken: "t".repeat(2000), completedAt: "2026-11-23T12:00:00Z" });
    const put = () =>
      s3.send(new PutObjectCommand({ Bucket: "atomic", Key: "callback.json", Body: document }));
    await put();

    // Act: overwrite and read the same key at once, many times.
    const reads: string[] = [];
    for (let round = 0; round < 200; round += 1) {
      const [, answer] = await Promise.all([
        put(),
        s3.send(new GetObjectCommand({ Bucket: "atomic", Key: "callback.json" })),
      ]);
      reads.push((await answer.Body?.transformToString()) ?? "");
    }
    s3.destroy();

    // Assess
    expect(reads.filter((read) => read !== document)).toEqual([]);
  });
});
