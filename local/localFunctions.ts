import { PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import type { ApiVideoDependencies } from "../functions/handlers/apivideo/apiVideoDependencies";
import { apiVideoPublish } from "../functions/handlers/apivideo/publish";
import { apiVideoStatus } from "../functions/handlers/apivideo/status";
import { apiVideoUpload } from "../functions/handlers/apivideo/upload";
import { createStepHandler } from "../functions/handlers/core/createStepHandler";
import { recordFailureStep } from "../functions/handlers/recordFailure";
import { videoDevCreateClip } from "../functions/handlers/videodev/createClip";
import { videoDevImportMedia } from "../functions/handlers/videodev/importMedia";
import { videoDevMediaStatus } from "../functions/handlers/videodev/mediaStatus";
import { videoDevPublish } from "../functions/handlers/videodev/publish";
import { videoDevRenderClip } from "../functions/handlers/videodev/renderClip";
import { videoDevRenderStatus } from "../functions/handlers/videodev/renderStatus";
import type { VideoDevDependencies } from "../functions/handlers/videodev/videoDevDependencies";
import type { LambdaHandler } from "./invokeLocalLambda";

/** The clients the local handlers get instead of reading the Lambda environment. */
export interface LocalDependencies {
  apivideo: ApiVideoDependencies;
  videodev: VideoDevDependencies;
}

/** A deployed function, as the local runtime holds it: its handler and its configured timeout. */
export interface LocalFunction {
  handler: LambdaHandler;
  timeoutSeconds: number;
}

/**
 * The pipeline's functions as in-process handlers: the same middy + zod handlers and pure steps as on AWS,
 * with their clients injected (pointing at the simulators or at real providers).
 */
export function localFunctions(dependencies: LocalDependencies): Record<PipelineFunctionId, LocalFunction> {
  const { apivideo, videodev } = dependencies;
  const handlers: Record<PipelineFunctionId, LambdaHandler> = {
    ApiVideoUpload: createStepHandler(apiVideoUpload, async () => apivideo),
    ApiVideoStatus: createStepHandler(apiVideoStatus, async () => apivideo),
    ApiVideoPublish: createStepHandler(apiVideoPublish, async () => apivideo),
    VideoDevImportMedia: createStepHandler(videoDevImportMedia, async () => videodev),
    VideoDevMediaStatus: createStepHandler(videoDevMediaStatus, async () => videodev),
    VideoDevCreateClip: createStepHandler(videoDevCreateClip, async () => videodev),
    VideoDevRenderClip: createStepHandler(videoDevRenderClip, async () => videodev),
    VideoDevRenderStatus: createStepHandler(videoDevRenderStatus, async () => videodev),
    VideoDevPublish: createStepHandler(videoDevPublish, async () => videodev),
    RecordFailure: createStepHandler(recordFailureStep, async () => undefined),
  };
  return Object.fromEntries(
    PIPELINE_FUNCTIONS.map((fn) => [fn.id, { handler: handlers[fn.id], timeoutSeconds: fn.timeoutSeconds }]),
  ) as Record<PipelineFunctionId, LocalFunction>;
}
