import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { ingestToViostream } from "../../steps/viostream/ingestToViostream";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ViostreamDependencies, viostreamDependenciesFromEnvironment } from "./viostreamDependencies";

const event = stepEventSchema({});

/** Viostream ingest: media/new from the source URL, under the job's reference id. */
export const viostreamIngest: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.ingest",
  event,
  run: ({ job }, { dependencies }) =>
    ingestToViostream(dependencies.viostream, dependencies.s3, jobFor(job, "viostream")),
};

export const handler = createStepHandler(viostreamIngest, viostreamDependenciesFromEnvironment);
