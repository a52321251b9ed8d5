import { z } from "zod";
import { apiVideoCallbackSource, confirmApiVideoOutcome } from "../../callbacks/apiVideoCallbackSource";
import {
  type AwaitCallbackAnswer,
  type AwaitCallbackDependencies,
  awaitCallback,
} from "../../callbacks/awaitCallback";
import { stepEventSchema } from "../../pipeline/stepEvent";
import type { ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";
import { CONFIRM_TIMEOUT_MS, callbackDependenciesFromEnvironment } from "../core/callbackDependencies";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { apiVideoClientFromEnvironment } from "./apiVideoDependencies";
import { uploaded } from "./progressSchemas";

const event = stepEventSchema({ upload: uploaded }).extend({ taskToken: z.string().min(1) });

/** Where the wait is filed, and api.video, which confirms an event that came before the wait. */
export type ApiVideoAwaitCallbackDependencies = AwaitCallbackDependencies & { apiVideo: ApiVideoClient };

/**
 * api.video encoding wait: files the task token under the video id, which every encoding webhook names.
 * The Task state stays open until the webhook (or an event that came first, once api.video confirms it)
 * completes it.
 */
export const apiVideoAwaitCallback: StepDefinition<
  typeof event,
  ApiVideoAwaitCallbackDependencies,
  AwaitCallbackAnswer
> = {
  operation: "apivideo.awaitCallback",
  event,
  run: ({ job, stage, progress, taskToken }, { dependencies }) => {
    const { videoId } = progress.upload.value;
    return awaitCallback(
      dependencies,
      confirmApiVideoOutcome(dependencies.apiVideo),
      { provider: apiVideoCallbackSource.provider, key: videoId },
      { taskToken, jobId: job.jobId, stage, subjectId: videoId, ids: { videoId } },
    );
  },
};

export const handler = createStepHandler(apiVideoAwaitCallback, async () => ({
  ...(await callbackDependenciesFromEnvironment()),
  apiVideo: await apiVideoClientFromEnvironment(CONFIRM_TIMEOUT_MS),
}));
