import { z } from "zod";
import type { RecordResultDependencies } from "../steps/recordResult";
import { recordStoppedExecution } from "../steps/recordStoppedExecution";
import { createStepHandler, type StepDefinition } from "./core/createStepHandler";
import { logger } from "./core/logger";
import { countFor, METRIC_NAMES } from "./core/metrics";
import { recordResultDependenciesFromEnvironment } from "./recordResult";

/** EventBridge's "Step Functions Execution Status Change" event, as the rule delivers it. */
const event = z.object({
  "detail-type": z.literal("Step Functions Execution Status Change"),
  detail: z.object({
    executionArn: z.string().min(1),
    status: z.enum(["TIMED_OUT", "ABORTED"]),
    input: z.string().nullable().default(null),
  }),
});

/** Record stopped execution: the result file and event of a job whose execution timed out or was aborted. */
export const recordStoppedExecutionStep: StepDefinition<
  typeof event,
  RecordResultDependencies,
  { recorded: boolean }
> = {
  operation: "pipeline.recordStoppedExecution",
  event,
  run: async ({ detail }, { dependencies }) => {
    const result = await recordStoppedExecution(detail, dependencies);
    if (!result) {
      // The input was too large for the event or is not a job: the execution's history still tells.
      logger.warn("stopped execution without a readable job input", { executionArn: detail.executionArn });
      return { recorded: false };
    }
    countFor(result.provider, METRIC_NAMES.jobsFailed);
    return { recorded: true };
  },
};

export const handler = createStepHandler(recordStoppedExecutionStep, recordResultDependenciesFromEnvironment);
