import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { publishViostream } from "../../steps/viostream/publishViostream";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { ingested } from "./progressSchemas";
import { type ViostreamDependencies, viostreamDependenciesFromEnvironment } from "./viostreamDependencies";

const event = stepEventSchema({ create: ingested });

/** Viostream publish: the media found by reference id, with its embed URL and iframe. */
export const viostreamPublish: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publishViostream(dependencies.viostream, jobFor(job, "viostream"), progress.create.value.referenceId),
};

export const handler = createStepHandler(viostreamPublish, viostreamDependenciesFromEnvironment);
