import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { renderVideoDevClip } from "../../steps/videodev/renderVideoDevClip";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { clipped } from "./progressSchemas";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({ create: clipped });

/** video.dev render: renders the clip with the job's crop. */
export const videoDevRenderClip: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.renderClip",
  event,
  run: ({ job, progress }, { dependencies }) =>
    renderVideoDevClip(
      dependencies.videoDev,
      jobFor(job, "videodev"),
      progress.create.value.clipId,
      dependencies.callbackUrl?.(job.jobId, "awaitRender"),
    ),
};

export const handler = createStepHandler(videoDevRenderClip, videoDevDependenciesFromEnvironment);
