import { z } from "zod";
import {
  type AwaitCallbackAnswer,
  type AwaitCallbackDependencies,
  awaitCallback,
} from "../../callbacks/awaitCallback";
import { confirmVideoDevOutcome, videoDevCallbackSource } from "../../callbacks/videoDevCallbackSource";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { InvalidInputError } from "../../providers/core/InvalidInputError";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";
import { CONFIRM_TIMEOUT_MS, callbackDependenciesFromEnvironment } from "../core/callbackDependencies";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { clipped, imported, rendering } from "./progressSchemas";
import { videoDevClientFromEnvironment } from "./videoDevDependencies";

const event = stepEventSchema({
  upload: imported,
  create: clipped.optional(),
  render: rendering.optional(),
}).extend({ taskToken: z.string().min(1) });

/** Where the wait is filed, and video.dev, which confirms an event that came before the wait. */
export type VideoDevAwaitCallbackDependencies = AwaitCallbackDependencies & { videoDev: VideoDevClient };

/**
 * video.dev import and render waits: files the task token under `<jobId>/<stage>`, the address the
 * callback URL given to video.dev carries; the media or render id guards against another import's events.
 */
export const videoDevAwaitCallback: StepDefinition<
  typeof event,
  VideoDevAwaitCallbackDependencies,
  AwaitCallbackAnswer
> = {
  operation: "videodev.awaitCallback",
  event,
  run: ({ job, stage, progress, taskToken }, { dependencies }) => {
    const ids = awaitedIds(stage, progress);
    const subjectId = stage === "awaitRender" ? ids.renderId : ids.mediaId;
    return awaitCallback(
      dependencies,
      confirmVideoDevOutcome(dependencies.videoDev),
      { provider: videoDevCallbackSource.provider, key: `${job.jobId}/${stage}` },
      { taskToken, jobId: job.jobId, stage, subjectId: subjectId as string, ids },
    );
  },
};

function awaitedIds(stage: string, progress: z.output<typeof event>["progress"]): Record<string, string> {
  if (stage === "awaitUpload") return { mediaId: progress.upload.value.mediaId };
  if (stage === "awaitRender" && progress.create && progress.render) {
    return { clipId: progress.create.value.clipId, renderId: progress.render.value.renderId };
  }
  throw new InvalidInputError("videodev.awaitCallback input", [
    { field: "stage", problem: "must be awaitUpload, or awaitRender after create and render", value: stage },
  ]);
}

export const handler = createStepHandler(videoDevAwaitCallback, async () => ({
  ...(await callbackDependenciesFromEnvironment()),
  videoDev: await videoDevClientFromEnvironment(CONFIRM_TIMEOUT_MS),
}));
