import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollVideoDevRender } from "../../steps/videodev/pollVideoDevRender";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { clipped, rendering } from "./progressSchemas";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({ create: clipped, render: rendering });

/** video.dev render status: one poll of the render. */
export const videoDevRenderStatus: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.renderStatus",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollVideoDevRender(
      dependencies.videoDev,
      progress.create.value.clipId,
      progress.render.value.renderId,
      poll ?? 1,
    ),
};

export const handler = createStepHandler(videoDevRenderStatus, videoDevDependenciesFromEnvironment);
