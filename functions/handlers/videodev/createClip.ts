import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { createVideoDevClip } from "../../steps/videodev/createVideoDevClip";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported, measured } from "./progressSchemas";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({ upload: imported, awaitUpload: measured });

/** video.dev clip: cuts the job's time range from the imported media. */
export const videoDevCreateClip: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.createClip",
  event,
  run: ({ job, progress }, { dependencies }) =>
    createVideoDevClip(
      dependencies.videoDev,
      jobFor(job, "videodev"),
      progress.upload.value.mediaId,
      progress.awaitUpload.value.durationMs,
    ),
};

export const handler = createStepHandler(videoDevCreateClip, videoDevDependenciesFromEnvironment);
