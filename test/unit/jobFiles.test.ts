import { describe, expect, it } from "vitest";
import { JobFileUnreadableError, readJobFile, writeJobFile } from "../../functions/pipeline/jobFiles";
import {
  INLINE_RESULT_LIMIT_BYTES,
  inlineResultFiles,
  keepResultSmall,
} from "../../functions/pipeline/resultFiles";
import { fakeBucket } from "./fakeBucket";

const BUCKET = "pipeline-bucket";

describe("job files", () => {
  it("names a file by its content, so the same list is one file and another list another", async () => {
    // Prepare
    const { s3, objects } = fakeBucket();
    const files = { s3, bucket: BUCKET };

    // Act
    const first = await writeJobFile(files, "job-1", "outcomes", [1, 2]);
    const again = await writeJobFile(files, "job-1", "outcomes", [1, 2]);
    const other = await writeJobFile(files, "job-1", "outcomes", [1, 2, 3]);

    // Assess
    expect(first).toEqual({
      bucket: BUCKET,
      key: expect.stringMatching(/^jobs\/job-1\/outcomes-[0-9a-f]{32}\.json$/),
    });
    expect(again).toEqual(first);
    expect(other.key).not.toBe(first.key);
    expect(objects.size).toBe(2);
    expect(await readJobFile(s3, other)).toEqual([1, 2, 3]);
  });

  it("refuses a file that is missing or no longer holds what its key names", async () => {
    // Prepare
    const { s3, objects } = fakeBucket();
    const ref = await writeJobFile({ s3, bucket: BUCKET }, "job-1", "sources", [{ key: "a.mp4" }]);
    objects.set(ref.key, JSON.stringify([{ key: "b.mp4" }]));

    // Act
    const changed = readJobFile(s3, ref);
    const missing = readJobFile(s3, { bucket: BUCKET, key: "jobs/job-1/sources-0.json" });

    // Assess
    await expect(changed).rejects.toThrow(JobFileUnreadableError);
    await expect(changed).rejects.toThrow(/changed since it was written/);
    await expect(missing).rejects.toThrow(/jobs\/job-1\/sources-0\.json is missing/);
  });

  it("keeps a small result whole, moves a large one's list to a file, and puts it back", async () => {
    // Prepare
    const { s3 } = fakeBucket();
    const files = { s3, bucket: BUCKET };
    const small = { accepted: 1, assets: [{ index: 0 }] };
    const assets = Array.from({ length: 600 }, (_, index) => ({ index, source: "s".repeat(200) }));
    const large = { accepted: 600, assets };

    // Act
    const keptSmall = await keepResultSmall(small, "assets", files, "job-1");
    const keptLarge = await keepResultSmall(large, "assets", files, "job-1");
    const whole = await inlineResultFiles(keptLarge, s3);

    // Assess
    expect(keptSmall).toEqual(small);
    expect(keptLarge).toEqual({
      accepted: 600,
      assetsFile: { bucket: BUCKET, key: expect.stringContaining("jobs/job-1/") },
    });
    expect(JSON.stringify(keptLarge).length).toBeLessThan(INLINE_RESULT_LIMIT_BYTES);
    expect(whole).toEqual(large);
  });
});
