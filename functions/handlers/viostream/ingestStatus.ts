import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollViostreamIngest } from "../../steps/viostream/pollViostreamIngest";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { ingested } from "./progressSchemas";
import { type ViostreamDependencies, viostreamDependenciesFromEnvironment } from "./viostreamDependencies";

const event = stepEventSchema({ create: ingested });

/** Viostream ingest status: one poll, Processing until Online or Failed. */
export const viostreamIngestStatus: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.ingestStatus",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollViostreamIngest(dependencies.viostream, progress.create.value, poll ?? 1),
};

export const handler = createStepHandler(viostreamIngestStatus, viostreamDependenciesFromEnvironment);
