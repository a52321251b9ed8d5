import { z } from "zod";
import { PROVIDERS } from "../pipeline/jobSpec";
import { recordFailure } from "../steps/recordFailure";
import { createStepHandler, type StepDefinition } from "./core/createStepHandler";

const event = z.object({
  // Only the fields a record needs: a failure must be recorded even when the job itself was malformed.
  job: z.looseObject({ jobId: z.string(), provider: z.enum(PROVIDERS) }),
  failure: z.record(
    z.string(),
    z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }),
  ),
});

/** Record failure: the caught error as a failure record, and the Error/Cause the execution fails with. */
export const recordFailureStep: StepDefinition<typeof event, undefined, { error: string; cause: string }> = {
  operation: "pipeline.recordFailure",
  event,
  readsSources: false,
  run: async ({ job, failure }) => {
    const record = recordFailure(job, failure);
    return { error: record.error, cause: JSON.stringify(record) };
  },
};

export const handler = createStepHandler(recordFailureStep, async () => undefined);
