import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { importMediaToVideoDev } from "../../steps/videodev/importMediaToVideoDev";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type VideoDevDependencies, videoDevDependenciesFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({});

/** video.dev import: video.dev pulls the source from its URL. */
export const videoDevImportMedia: StepDefinition<typeof event, VideoDevDependencies, unknown> = {
  operation: "videodev.importMedia",
  event,
  run: ({ job }, { dependencies }) =>
    importMediaToVideoDev(
      dependencies.videoDev,
      dependencies.s3,
      jobFor(job, "videodev"),
      dependencies.callbackUrl?.(job.jobId, "awaitUpload"),
    ),
};

export const handler = createStepHandler(videoDevImportMedia, videoDevDependenciesFromEnvironment);
