import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollVideoDevMedia } from "../../steps/videodev/pollVideoDevMedia";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported } from "./progressSchemas";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({ upload: imported });

/** video.dev media status: one poll of the import. */
export const videoDevMediaStatus: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.mediaStatus",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollVideoDevMedia(dependencies.videoDev, progress.upload.value.mediaId, poll ?? 1),
};

export const handler = createStepHandler(videoDevMediaStatus, videoDevDependenciesFromEnvironment);
