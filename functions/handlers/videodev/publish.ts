import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { publishVideoDev } from "../../steps/videodev/publishVideoDev";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { clipped, rendering } from "./progressSchemas";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({ create: clipped, render: rendering });

/** video.dev publish: the rendered clip's URL and media info. */
export const videoDevPublish: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publishVideoDev(
      dependencies.videoDev,
      jobFor(job, "videodev"),
      progress.create.value.clipId,
      progress.render.value.renderId,
    ),
};

export const handler = createStepHandler(videoDevPublish, videoDevDependenciesFromEnvironment);
