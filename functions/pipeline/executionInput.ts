import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import {
  type JobFileRef,
  type JobFiles,
  jobFileRef,
  jsonBytes,
  readJobFileAs,
  writeJobFile,
} from "./jobFiles";
import type { Job, JobSource } from "./jobSpec";

/**
 * Sources up to this size stay in the execution's input, where the console shows them; beyond it they go
 * to a job file. Far below 256 KiB: the state also carries the job's options and every stage's progress.
 */
export const INLINE_SOURCES_LIMIT_BYTES = 16 * 1024;

/** A job as an execution's input carries it: its sources, or where they are and how many. */
export type ExecutionInput = Job | (Omit<Job, "sources"> & { sourcesFile: SourcesFile });

/** Where a large job's sources are kept. */
export interface SourcesFile extends JobFileRef {
  count: number;
}

const sourcesFile = jobFileRef.extend({ count: z.number().int().positive() }).strict();
const sourceList = z.array(z.looseObject({}));

/**
 * The execution input of a job: the job itself while its sources are small, else the job with its sources
 * written to `jobs/<jobId>/sources-<hash>.json`. The same sources always give the same input, so
 * StartExecution's own "same name, same input" check still tells a repeat from a conflict.
 */
export async function toExecutionInput(job: Job | ExecutionInput, files: JobFiles): Promise<ExecutionInput> {
  if (!("sources" in job) || jsonBytes(job.sources) <= INLINE_SOURCES_LIMIT_BYTES) return job;
  const { sources, ...rest } = job;
  const ref = await writeJobFile(files, job.jobId, "sources", sources);
  return { ...rest, sourcesFile: { ...ref, count: sources.length } };
}

/**
 * The job of an execution input (or a step's `job`), its sources read back from their file when they are
 * in one. Anything else comes back as it was, for the caller's schema to judge.
 */
export async function withSources(input: unknown, s3: S3Client): Promise<unknown> {
  if (input === null || typeof input !== "object" || !("sourcesFile" in input)) return input;
  const { sourcesFile: raw, ...rest } = input as { sourcesFile: unknown };
  const ref = sourcesFile.safeParse(raw);
  if (!ref.success) return input;
  const sources = (await readJobFileAs(s3, ref.data, sourceList)) as JobSource[];
  return { ...rest, sources };
}
