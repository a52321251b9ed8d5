import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { PROVIDERS } from "../pipeline/jobSpec";
import { EventBridgeJobEvents } from "../results/JobEvents";
import { type RecordResultDependencies, recordResult } from "../steps/recordResult";
import { createStepHandler, type StepDefinition } from "./core/createStepHandler";
import { requireEnv } from "./core/environment";
import { countFor, METRIC_NAMES } from "./core/metrics";

const event = z.object({
  // Only what a result needs: a failed job's result must be written even when the job itself was malformed.
  job: z.looseObject({ jobId: z.string(), provider: z.enum(PROVIDERS) }),
  executionId: z.string().min(1),
  outcome: z.discriminatedUnion("status", [
    z.object({ status: z.literal("succeeded"), result: z.unknown() }),
    z.object({
      status: z.literal("failed"),
      cause: z.string(),
      progress: z.record(z.string(), z.unknown()).default({}),
    }),
  ]),
});

/** Record result: `results/<jobId>.json` plus an EventBridge event, for every job that finishes. */
export const recordResultStep: StepDefinition<typeof event, RecordResultDependencies, { key: string }> = {
  operation: "pipeline.recordResult",
  event,
  readsSources: false,
  run: async ({ job, executionId, outcome }, { dependencies }) => {
    const result = await recordResult(job, executionId, outcome, dependencies);
    countFor(
      job.provider,
      result.status === "succeeded" ? METRIC_NAMES.jobsSucceeded : METRIC_NAMES.jobsFailed,
    );
    return { key: `results/${result.jobId}.json` };
  },
};

/** Reads the results bucket and the event bus from the Lambda environment. */
export async function recordResultDependenciesFromEnvironment(): Promise<RecordResultDependencies> {
  const bucket = requireEnv("RESULTS_BUCKET");
  return {
    s3: new S3Client({}),
    bucket,
    events: new EventBridgeJobEvents(new EventBridgeClient({}), requireEnv("EVENT_BUS_NAME"), bucket),
  };
}

export const handler = createStepHandler(recordResultStep, recordResultDependenciesFromEnvironment);
