import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { withSources } from "../../pipeline/executionInput";
import { type JobFiles, jobFilesFromEnvironment } from "../../pipeline/jobFiles";
import { RETRYABLE_ERROR_NAMES } from "../../providers/core/errors";
import { parseOrThrow } from "../../providers/core/InvalidInputError";
import { logger } from "./logger";
import { countFor, METRIC_NAMES } from "./metrics";
import { observed, tracer } from "./observability";
import { toStepFailure } from "./stepFailure";

/** What a step needs beyond its event: its clients, and when to stop a slice of long work. */
export interface StepContext<D> {
  dependencies: D;
  /** False once the Lambda is close to its timeout: a sliced step returns `done: false` and is called again. */
  hasTimeLeft: () => boolean;
  /** Where lists that grow with the job are kept instead of the state (`jobs/<jobId>/...`). */
  jobFiles: () => JobFiles;
}

/** One pipeline step: the operation it wraps, the shape of its event, and the pure work. */
export interface StepDefinition<S extends z.ZodType, D, R> {
  operation: string;
  event: S;
  /**
   * False for steps that read only the job's id and provider (the records): they must work even when a
   * large job's sources file cannot be read, so it is not read for them.
   */
  readsSources?: boolean;
  run: (event: z.output<S>, context: StepContext<D>) => Promise<R>;
}

/** The errors the state machine runs a step again for: Retry on transient ones, Retry-After on 429s. */
const RETRIED_ERRORS: readonly string[] = [...RETRYABLE_ERROR_NAMES, "RateLimitedError"];

/** A chunk of a large upload takes seconds; stopping a slice with this much left never hits the timeout. */
const SLICE_SAFETY_MARGIN_MS = 90_000;

/**
 * The Lambda handler for one step: validates the event at the edge, loads dependencies once per container,
 * runs the pure step, and maps every failure in one place to the error contract the state machine reads.
 */
export function createStepHandler<S extends z.ZodType, D, R>(
  definition: StepDefinition<S, D, R>,
  loadDependencies: () => Promise<D>,
  loadJobFiles: () => JobFiles = jobFilesFromEnvironment,
) {
  let dependencies: Promise<D> | undefined;
  let files: JobFiles | undefined;
  const jobFiles = () => {
    files ??= loadJobFiles();
    return files;
  };
  const handler = middy(async (event: unknown, context: Context): Promise<R> => {
    const stage = stageOf(event);
    // Every line of this invocation carries the job, so one job's story is one CloudWatch query.
    logger.appendKeys({ jobId: jobIdOf(event), executionId: executionIdOf(event), stage });
    const jobId = jobIdOf(event);
    if (jobId) tracer.putAnnotation("jobId", jobId);
    try {
      const parsed = parseOrThrow(
        definition.event,
        definition.readsSources === false ? event : await withJobSources(event, jobFiles),
        `${definition.operation} input`,
      );
      dependencies ??= loadDependencies().catch((error: unknown) => {
        dependencies = undefined;
        throw error;
      });
      const hasTimeLeft = () => context.getRemainingTimeInMillis() > SLICE_SAFETY_MARGIN_MS;
      return await definition.run(parsed, { dependencies: await dependencies, hasTimeLeft, jobFiles });
    } catch (error) {
      const failure = toStepFailure(error, stage);
      const provider = providerOf(event);
      // Step Functions retries these (or waits out a 429): each one is a retry of a provider call.
      if (provider && RETRIED_ERRORS.includes(failure.name)) {
        countFor(provider, METRIC_NAMES.providerRetries);
      }
      logger.error(`${definition.operation} failed`, {
        operation: definition.operation,
        stage,
        failure: failure.message,
      });
      throw failure;
    }
  });
  return observed(handler);
}

/** A large job's state carries where its sources are; the step sees them as if they were inline. */
async function withJobSources(event: unknown, jobFiles: () => JobFiles): Promise<unknown> {
  const job = (event as { job?: unknown } | null)?.job;
  if (job === null || typeof job !== "object" || !("sourcesFile" in job)) return event;
  return { ...(event as object), job: await withSources(job, jobFiles().s3) };
}

function providerOf(event: unknown): string | undefined {
  const provider = (event as { job?: { provider?: unknown } } | null)?.job?.provider;
  return typeof provider === "string" ? provider : undefined;
}

function jobIdOf(event: unknown): string | undefined {
  const jobId = (event as { job?: { jobId?: unknown } } | null)?.job?.jobId;
  return typeof jobId === "string" ? jobId : undefined;
}

function executionIdOf(event: unknown): string | undefined {
  const executionId = (event as { executionId?: unknown } | null)?.executionId;
  return typeof executionId === "string" ? executionId : undefined;
}

function stageOf(event: unknown): string {
  const stage = (event as { stage?: unknown } | null)?.stage;
  return typeof stage === "string" ? stage : "unknown";
}
