import { stepEventSchema } from "../../pipeline/stepEvent";
import { pollApiVideoStatus } from "../../steps/apivideo/pollApiVideoStatus";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ApiVideoDependencies, apiVideoDependenciesFromEnvironment } from "./apiVideoDependencies";
import { uploaded } from "./progressSchemas";

const event = stepEventSchema({ upload: uploaded });

/** api.video status: one poll of the video's ingest and encoding. */
export const apiVideoStatus: StepDefinition<typeof event, ApiVideoDependencies, unknown> = {
  operation: "apivideo.status",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    pollApiVideoStatus(dependencies.apiVideo, progress.upload.value.videoId, poll ?? 1),
};

export const handler = createStepHandler(apiVideoStatus, apiVideoDependenciesFromEnvironment);
