import { z } from "zod";
import { jobFor } from "../../pipeline/jobSpec";
import { sourceReader } from "../../pipeline/sourceReader";
import { stageOutput, stepEventSchema } from "../../pipeline/stepEvent";
import { uploadToApiVideo } from "../../steps/apivideo/uploadToApiVideo";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ApiVideoDependencies, apiVideoDependenciesFromEnvironment } from "./apiVideoDependencies";

const event = stepEventSchema({
  upload: stageOutput(
    z.object({ videoId: z.string(), nextOffset: z.number().int().min(0), done: z.boolean() }).loose(),
  ).optional(),
});

/** api.video upload: creates the video (once per job) and streams the source into it, in slices. */
export const apiVideoUpload: StepDefinition<typeof event, ApiVideoDependencies, unknown> = {
  operation: "apivideo.upload",
  event,
  run: ({ job, progress }, { dependencies, hasTimeLeft }) =>
    uploadToApiVideo(
      jobFor(job, "apivideo"),
      progress.upload?.value,
      {
        apiVideo: dependencies.apiVideo,
        reader: sourceReader(dependencies.s3),
      },
      hasTimeLeft,
    ),
};

export const handler = createStepHandler(apiVideoUpload, apiVideoDependenciesFromEnvironment);
