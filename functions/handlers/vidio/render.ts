import { stepEventSchema } from "../../pipeline/stepEvent";
import { renderVidioReel } from "../../steps/vidio/renderVidioReel";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { reel } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ create: reel });

/** VIDIO render: starts rendering the completed reel. */
export const vidioRender: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.render",
  event,
  run: ({ progress }, { dependencies }) =>
    renderVidioReel(dependencies.vidio, progress.create.value.vidioJobId),
};

export const handler = createStepHandler(vidioRender, vidioDependenciesFromEnvironment);
