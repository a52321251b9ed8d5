import type { z } from "zod";
import type { AwaitCallbackDependencies } from "../functions/callbacks/awaitCallback";
import { PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import type { ApiVideoDependencies } from "../functions/handlers/apivideo/apiVideoDependencies";
import { apiVideoAwaitCallback } from "../functions/handlers/apivideo/awaitCallback";
import { apiVideoPublish } from "../functions/handlers/apivideo/publish";
import { apiVideoStatus } from "../functions/handlers/apivideo/status";
import { apiVideoUpload } from "../functions/handlers/apivideo/upload";
import {
  createStepHandler as createHandler,
  type StepDefinition,
} from "../functions/handlers/core/createStepHandler";
import { ConfigurationError } from "../functions/handlers/core/environment";
import { recordFailureStep } from "../functions/handlers/recordFailure";
import { recordResultStep } from "../functions/handlers/recordResult";
import { videoDevAwaitCallback } from "../functions/handlers/videodev/awaitCallback";
import { videoDevCreateClip } from "../functions/handlers/videodev/createClip";
import { videoDevImportMedia } from "../functions/handlers/videodev/importMedia";
import { videoDevMediaStatus } from "../functions/handlers/videodev/mediaStatus";
import { videoDevPublish } from "../functions/handlers/videodev/publish";
import { videoDevRenderClip } from "../functions/handlers/videodev/renderClip";
import { videoDevRenderStatus } from "../functions/handlers/videodev/renderStatus";
import type { VideoDevDependencies } from "../functions/handlers/videodev/videoDevDependencies";
import { vidioCreateReel } from "../functions/handlers/vidio/createReel";
import { vidioJobStatus } from "../functions/handlers/vidio/jobStatus";
import { vidioPublish } from "../functions/handlers/vidio/publish";
import { vidioRender } from "../functions/handlers/vidio/render";
import { vidioRenderStatus } from "../functions/handlers/vidio/renderStatus";
import { vidioUpload } from "../functions/handlers/vidio/upload";
import type { VidioDependencies } from "../functions/handlers/vidio/vidioDependencies";
import { vidoriImportAssets } from "../functions/handlers/vidori/importAssets";
import { vidoriPublish } from "../functions/handlers/vidori/publish";
import type { VidoriDependencies } from "../functions/handlers/vidori/vidoriDependencies";
import { viostreamIngest } from "../functions/handlers/viostream/ingest";
import { viostreamIngestStatus } from "../functions/handlers/viostream/ingestStatus";
import { viostreamPublish } from "../functions/handlers/viostream/publish";
import type { ViostreamDependencies } from "../functions/handlers/viostream/viostreamDependencies";
import type { JobFiles } from "../functions/pipeline/jobFiles";
import type { RecordResultDependencies } from "../functions/steps/recordResult";
import type { LambdaHandler } from "./invokeLocalLambda";

/** The clients the local handlers get instead of reading the Lambda environment. */
export interface LocalDependencies {
  apivideo: ApiVideoDependencies;
  videodev: VideoDevDependencies;
  vidio: VidioDependencies;
  vidori: VidoriDependencies;
  viostream: ViostreamDependencies;
  results: RecordResultDependencies;
  /** Where lists that grow with a job are kept (`jobs/<jobId>/...`); default the results bucket. */
  jobFiles?: JobFiles;
  /** Where waits file their task tokens; only needed when the pipeline runs with webhooks (see localWebhooks). */
  callbacks?: AwaitCallbackDependencies;
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
  const { apivideo, videodev, vidio, vidori, viostream, results } = dependencies;
  const files = dependencies.jobFiles ?? { s3: results.s3, bucket: results.bucket };
  // The same handler as on AWS; its clients and the job files' bucket are injected instead of read from env.
  const createStepHandler = <S extends z.ZodType, D, R>(
    definition: StepDefinition<S, D, R>,
    load: () => Promise<D>,
  ) => createHandler(definition, load, () => files);
  const callbacks = async () => {
    if (dependencies.callbacks) return dependencies.callbacks;
    throw new ConfigurationError("this local run has no webhooks: pass callbacks from localWebhooks");
  };
  const handlers: Record<PipelineFunctionId, LambdaHandler> = {
    ApiVideoUpload: createStepHandler(apiVideoUpload, async () => apivideo),
    ApiVideoStatus: createStepHandler(apiVideoStatus, async () => apivideo),
    ApiVideoAwaitCallback: createStepHandler(apiVideoAwaitCallback, async () => ({
      ...(await callbacks()),
      apiVideo: apivideo.apiVideo,
    })),
    ApiVideoPublish: createStepHandler(apiVideoPublish, async () => apivideo),
    VideoDevImportMedia: createStepHandler(videoDevImportMedia, async () => videodev),
    VideoDevMediaStatus: createStepHandler(videoDevMediaStatus, async () => videodev),
    VideoDevAwaitCallback: createStepHandler(videoDevAwaitCallback, async () => ({
      ...(await callbacks()),
      videoDev: videodev.videoDev,
    })),
    VideoDevCreateClip: createStepHandler(videoDevCreateClip, async () => videodev),
    VideoDevRenderClip: createStepHandler(videoDevRenderClip, async () => videodev),
    VideoDevRenderStatus: createStepHandler(videoDevRenderStatus, async () => videodev),
    VideoDevPublish: createStepHandler(videoDevPublish, async () => videodev),
    VidioUpload: createStepHandler(vidioUpload, async () => vidio),
    VidioCreateReel: createStepHandler(vidioCreateReel, async () => vidio),
    VidioJobStatus: createStepHandler(vidioJobStatus, async () => vidio),
    VidioRender: createStepHandler(vidioRender, async () => vidio),
    VidioRenderStatus: createStepHandler(vidioRenderStatus, async () => vidio),
    VidioPublish: createStepHandler(vidioPublish, async () => vidio),
    VidoriImportAssets: createStepHandler(vidoriImportAssets, async () => vidori),
    VidoriPublish: createStepHandler(vidoriPublish, async () => undefined),
    ViostreamIngest: createStepHandler(viostreamIngest, async () => viostream),
    ViostreamIngestStatus: createStepHandler(viostreamIngestStatus, async () => viostream),
    ViostreamPublish: createStepHandler(viostreamPublish, async () => viostream),
    RecordFailure: createStepHandler(recordFailureStep, async () => undefined),
    RecordResult: createStepHandler(recordResultStep, async () => results),
  };
  return Object.fromEntries(
    PIPELINE_FUNCTIONS.map((fn) => [fn.id, { handler: handlers[fn.id], timeoutSeconds: fn.timeoutSeconds }]),
  ) as Record<PipelineFunctionId, LocalFunction>;
}
