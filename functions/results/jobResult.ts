import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { PROVIDERS, resumePoint } from "../pipeline/jobSpec";
import { redactRecord } from "../providers/core/redactRecord";

/**
 * What every finished job leaves in S3 at `results/<jobId>.json`: how it ended, the provider's result or
 * the failure record, and for a failure the point a redrive resumes from.
 */
export const JobResultSchema = z.object({
  jobId: z.string(),
  provider: z.enum(PROVIDERS),
  status: z.enum(["succeeded", "failed"]),
  finishedAt: z.iso.datetime(),
  /** The execution that wrote it; a redriven job's later attempts overwrite the file. */
  executionId: z.string().optional(),
  /** The Publish stage's answer (URLs, ids, embed codes), for a success. */
  result: z.unknown().optional(),
  /** The failure record (provider, step, error, message, field...), for a failure. */
  failure: z.record(z.string(), z.unknown()).optional(),
  /** For a failure: the stage that failed and the progress before it; `POST /jobs/{id}/redrive` uses it. */
  resume: resumePoint.optional(),
});
export type JobResult = z.output<typeof JobResultSchema>;

/** The S3 key of a job's result. */
export function resultKey(jobId: string): string {
  return `results/${jobId}.json`;
}

/**
 * Writes a job's result, replacing an earlier attempt's; redacted here, the one way into the file, since a
 * provider's answer can quote the presigned URL (and session token) it was given.
 */
export async function writeJobResult(s3: S3Client, bucket: string, result: JobResult): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: resultKey(result.jobId),
      Body: JSON.stringify(redactRecord(result)),
      ContentType: "application/json",
    }),
  );
}

/** Reads a job's result; undefined while the job has not finished (or never existed). */
export async function readJobResult(
  s3: S3Client,
  bucket: string,
  jobId: string,
): Promise<JobResult | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: resultKey(jobId) }));
    return JobResultSchema.parse(
      JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString()),
    );
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
    throw error;
  }
}
