import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { publishApiVideo } from "../../steps/apivideo/publishApiVideo";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ApiVideoDependencies, apiVideoDependenciesFromEnvironment } from "./apiVideoDependencies";
import { uploaded } from "./progressSchemas";

const event = stepEventSchema({ upload: uploaded });

/** api.video publish: the playable video's URLs and embed code. */
export const apiVideoPublish: StepDefinition<typeof event, ApiVideoDependencies, unknown> = {
  operation: "apivideo.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publishApiVideo(dependencies.apiVideo, jobFor(job, "apivideo"), progress.upload.value.videoId),
};

export const handler = createStepHandler(apiVideoPublish, apiVideoDependenciesFromEnvironment);
