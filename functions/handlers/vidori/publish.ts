import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { publishVidori } from "../../steps/vidori/publishVidori";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported } from "./progressSchemas";

const event = stepEventSchema({ create: imported });

/** Vidori publish: every asset's fate, reported as accepted (Vidori has no status API to wait on). */
export const vidoriPublish: StepDefinition<typeof event, undefined, unknown> = {
  operation: "vidori.publish",
  event,
  run: async ({ job, progress }) => publishVidori(jobFor(job, "vidori"), progress.create.value.outcomes),
};

export const handler = createStepHandler(vidoriPublish, async () => undefined);
