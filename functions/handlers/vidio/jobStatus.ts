import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollVidioJob } from "../../steps/vidio/pollVidioJob";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { reel } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ create: reel });

/** VIDIO job status: one poll of the highlight reel job. */
export const vidioJobStatus: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.getJob",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollVidioJob(dependencies.vidio, progress.create.value.vidioJobId, poll ?? 1),
};

export const handler = createStepHandler(vidioJobStatus, vidioDependenciesFromEnvironment);
