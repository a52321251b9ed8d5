import type { S3Client } from "@aws-sdk/client-s3";
import { toExecutionInput } from "../pipeline/executionInput";
import type { ClaimedManifest } from "./claimManifests";
import { importKeys } from "./manifestFiles";
import { manifestRows } from "./manifestRows";
import { type PlanCounts, planManifest } from "./planManifest";
import { S3JsonLinesWriter } from "./S3JsonLinesWriter";
import { objectChunks } from "./s3Objects";

/** A planned manifest: its counts, and the keys the state machine reads next. */
export interface ManifestPlan extends PlanCounts {
  jobsKey: string;
  rejectedKey: string;
  resultsPrefix: string;
}

/**
 * Streams a claimed manifest from S3 and writes its plan beside it: `jobs.jsonl` (what the Distributed Map
 * runs, each job as its execution's input) and `rejected.jsonl` (what the report lists as rejected), both streamed as they are produced.
 */
export async function planManifestObject(
  s3: S3Client,
  bucket: string,
  manifest: ClaimedManifest,
  groupSize?: number,
): Promise<ManifestPlan> {
  const keys = importKeys(manifest.manifestId, manifest.file);
  const jobs = new S3JsonLinesWriter(s3, bucket, keys.jobs);
  const rejected = new S3JsonLinesWriter(s3, bucket, keys.rejected);
  try {
    const rows = manifestRows(manifest.format, objectChunks(s3, bucket, manifest.key), manifest.manifestId);
    const counts = await planManifest(
      rows,
      {
        // Each line is a child execution's input as the Map passes it: large sources go to a job file.
        job: async (planned) =>
          jobs.write({ ...planned, job: await toExecutionInput(planned.job, { s3, bucket }) }),
        rejected: (row) => rejected.write(row),
      },
      groupSize,
    );
    await jobs.close();
    await rejected.close();
    return { ...counts, jobsKey: keys.jobs, rejectedKey: keys.rejected, resultsPrefix: keys.results };
  } catch (error) {
    await Promise.all([jobs.abort(), rejected.abort()]);
    throw error;
  }
}
