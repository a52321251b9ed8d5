import { z } from "zod";
import { apiVideoCallbackSource } from "../../callbacks/apiVideoCallbackSource";
import {
  type AwaitCallbackAnswer,
  type AwaitCallbackDependencies,
  awaitCallback,
} from "../../callbacks/awaitCallback";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { callbackDependenciesFromEnvironment } from "../core/callbackDependencies";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { uploaded } from "./progressSchemas";

const event = stepEventSchema({ upload: uploaded }).extend({ taskToken: z.string().min(1) });

/**
 * api.video encoding wait: files the task token under the video id, which every encoding webhook names.
 * The Task state stays open until the webhook (or an event that came first) completes it.
 */
export const apiVideoAwaitCallback: StepDefinition<
  typeof event,
  AwaitCallbackDependencies,
  AwaitCallbackAnswer
> = {
  operation: "apivideo.awaitCallback",
  event,
  run: ({ job, stage, progress, taskToken }, { dependencies }) => {
    const { videoId } = progress.upload.value;
    return awaitCallback(
      dependencies,
      apiVideoCallbackSource,
      { provider: "apivideo", key: videoId },
      { taskToken, jobId: job.jobId, stage, subjectId: videoId, ids: { videoId } },
    );
  },
};

export const handler = createStepHandler(apiVideoAwaitCallback, callbackDependenciesFromEnvironment);
