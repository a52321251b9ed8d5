import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { ingestToViostream } from "../../steps/viostream/ingestToViostream";
import { pollViostreamIngest } from "../../steps/viostream/pollViostreamIngest";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { ingested } from "./progressSchemas";
import { type ViostreamDependencies, viostreamDependenciesFromEnvironment } from "./viostreamDependencies";

const event = stepEventSchema({ create: ingested });

/**
 * Viostream ingest status: one poll, Processing until Online or Failed; a lost create not listed in time is
 * sent once more (with the same lookup first), so it reads the source like the ingest step does.
 */
export const viostreamIngestStatus: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.ingestStatus",
  event,
  run: ({ job, progress, poll }, { dependencies }) =>
    pollViostreamIngest(dependencies.viostream, progress.create.value, poll ?? 1, () =>
      ingestToViostream(dependencies.viostream, dependencies.s3, jobFor(job, "viostream")),
    ),
};

export const handler = createStepHandler(viostreamIngestStatus, viostreamDependenciesFromEnvironment);
