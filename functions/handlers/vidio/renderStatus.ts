import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollVidioRender } from "../../steps/vidio/pollVidioRender";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { reel } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ create: reel });

/** VIDIO render status: one poll of the render. */
export const vidioRenderStatus: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.getRender",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollVidioRender(dependencies.vidio, progress.create.value.vidioJobId, poll ?? 1),
};

export const handler = createStepHandler(vidioRenderStatus, vidioDependenciesFromEnvironment);
