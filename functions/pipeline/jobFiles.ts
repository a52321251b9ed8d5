import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";

/**
 * Where the lists that grow with a job (its sources, per-source outcomes) are kept: Step Functions caps
 * every state's input and output, and the execution's input, at 256 KiB, which 500 sources with long keys
 * exceed. The state carries a reference instead.
 */
export interface JobFiles {
  s3: S3Client;
  bucket: string;
}

/** The prefix of every job file; the pipeline's functions may read and write only here of these. */
export const JOB_FILES_PREFIX = "jobs/";

/** A job file as the state carries it: where it is. Its key names its content, so it never changes. */
export const jobFileRef = z
  .object({ bucket: z.string().min(3), key: z.string().startsWith(JOB_FILES_PREFIX) })
  .strict();
export type JobFileRef = z.output<typeof jobFileRef>;

/** A job file whose content went missing or changed: nothing a retry fixes, so not a retryable name. */
export class JobFileUnreadableError extends Error {
  override readonly name = "JobFileUnreadableError";
}

/**
 * Writes `content` as `jobs/<jobId>/<name>-<hash>.json`. The key names the content, so a retried or redriven
 * step rewrites the same bytes, a conflicting submission never overwrites a running job's file, and an
 * older state's reference still reads what it referred to.
 */
export async function writeJobFile(
  files: JobFiles,
  jobId: string,
  name: string,
  content: unknown,
): Promise<JobFileRef> {
  const body = JSON.stringify(content);
  const key = `${JOB_FILES_PREFIX}${jobId}/${name}-${contentHash(body)}.json`;
  await files.s3.send(
    new PutObjectCommand({ Bucket: files.bucket, Key: key, Body: body, ContentType: "application/json" }),
  );
  return { bucket: files.bucket, key };
}

/** Reads a job file back, checking it still holds what its key names. */
export async function readJobFile(s3: S3Client, ref: JobFileRef): Promise<unknown> {
  let body: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    body = (await object.Body?.transformToString()) ?? "";
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== "NoSuchKey" && name !== "NotFound") throw error;
    throw new JobFileUnreadableError(`job file s3://${ref.bucket}/${ref.key} is missing`, { cause: error });
  }
  if (!ref.key.endsWith(`-${contentHash(body)}.json`)) {
    throw new JobFileUnreadableError(`job file s3://${ref.bucket}/${ref.key} changed since it was written`);
  }
  return JSON.parse(body);
}

/** Reads a job file and validates its content. */
export async function readJobFileAs<T extends z.ZodType>(
  s3: S3Client,
  ref: JobFileRef,
  schema: T,
): Promise<z.output<T>> {
  const parsed = schema.safeParse(await readJobFile(s3, ref));
  if (!parsed.success) {
    throw new JobFileUnreadableError(`job file s3://${ref.bucket}/${ref.key} does not hold what it should`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The size of a value in a state, in bytes of UTF-8 JSON as Step Functions counts it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/** The bucket of job files from the Lambda environment (`JOB_FILES_BUCKET`), read when first needed. */
export function jobFilesFromEnvironment(): JobFiles {
  const bucket = process.env.JOB_FILES_BUCKET;
  if (!bucket) throw new Error("environment variable JOB_FILES_BUCKET is not set");
  return { s3: new S3Client({}), bucket };
}

function contentHash(body: string): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 32);
}
