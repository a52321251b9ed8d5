/**
 * Every Lambda function of the pipeline, in one list that the CDK app, the local runtime and the tests all
 * read: each function's handler file, and the `${<id>FunctionArn}` placeholder the state machine
 * definition uses for it. A test checks that list and definition agree.
 */
import type { Provider } from "./pipeline/jobSpec";

export interface PipelineFunction {
  id: string;
  /** The handler file, relative to the project root; it exports `handler`. */
  entry: string;
  /** Whose credentials the function reads; undefined for steps that call no provider. */
  provider?: Provider;
  /** Whether it reads the job's source objects (ranged or presigned GETs), and so needs read access. */
  readsSources?: boolean;
  /** Whether it writes `results/<jobId>.json` and publishes job events. */
  recordsResults?: boolean;
  /**
   * Whether it files task tokens for webhooks: it needs read/write on `callbacks/*` of the callback bucket
   * and states:SendTaskSuccess/SendTaskFailure (a completion event may have come first).
   */
  callbacks?: boolean;
  /** Whether it gives the provider a signed callback URL (when webhooks are on), so it needs the signing key. */
  sendsCallbackUrls?: boolean;
  description: string;
  /** Sized per operation: an upload holds a chunk and its multipart copy, a poll holds one small JSON. */
  memoryMb: number;
  timeoutSeconds: number;
}

/** The functions behind the state machine's Task states. */
export const PIPELINE_FUNCTIONS = [
  {
    id: "ApiVideoUpload",
    entry: "functions/handlers/apivideo/upload.ts",
    provider: "apivideo",
    readsSources: true,
    description: "api.video: create the video once per job and stream the S3 object into it in chunks",
    // Up to a 128 MiB chunk read from S3 plus its multipart body: about three chunks at worst.
    memoryMb: 1024,
    // Slices stop 90 s before this, so a multi-gigabyte upload spans several invocations.
    timeoutSeconds: 900,
  },
  {
    id: "ApiVideoStatus",
    entry: "functions/handlers/apivideo/status.ts",
    provider: "apivideo",
    description: "api.video: one poll of the video's ingest and encoding status",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "ApiVideoAwaitCallback",
    entry: "functions/handlers/apivideo/awaitCallback.ts",
    // An event that came before the wait is confirmed by reading the video's status.
    provider: "apivideo",
    callbacks: true,
    description: "api.video: file the encoding wait's task token for the webhook to complete",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
  {
    id: "ApiVideoPublish",
    entry: "functions/handlers/apivideo/publish.ts",
    provider: "apivideo",
    description: "api.video: read the playable video's URLs and embed code",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevImportMedia",
    sendsCallbackUrls: true,
    entry: "functions/handlers/videodev/importMedia.ts",
    provider: "videodev",
    readsSources: true,
    description: "video.dev: import the source from its URL (S3 objects as presigned GETs)",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevMediaStatus",
    entry: "functions/handlers/videodev/mediaStatus.ts",
    provider: "videodev",
    description: "video.dev: one poll of the media import",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevAwaitCallback",
    entry: "functions/handlers/videodev/awaitCallback.ts",
    // An event that came before the wait is confirmed by reading the media or render.
    provider: "videodev",
    callbacks: true,
    description: "video.dev: file an import or render wait's task token for the webhook to complete",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
  {
    id: "VideoDevCreateClip",
    entry: "functions/handlers/videodev/createClip.ts",
    provider: "videodev",
    description: "video.dev: cut the job's time range from the media",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevRenderClip",
    sendsCallbackUrls: true,
    entry: "functions/handlers/videodev/renderClip.ts",
    provider: "videodev",
    description: "video.dev: render the clip with crop and smart crop",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevRenderStatus",
    entry: "functions/handlers/videodev/renderStatus.ts",
    provider: "videodev",
    description: "video.dev: one poll of the render",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevPublish",
    entry: "functions/handlers/videodev/publish.ts",
    provider: "videodev",
    description: "video.dev: read the rendered clip's URL and media info",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidioUpload",
    entry: "functions/handlers/vidio/upload.ts",
    provider: "vidio",
    readsSources: true,
    description: "VIDIO: check every input's duration from its container, then stream the inputs in order",
    // Streams pass through in small buffers; the headroom is for the SDK and the container parser.
    memoryMb: 512,
    timeoutSeconds: 900,
  },
  {
    id: "VidioCreateReel",
    entry: "functions/handlers/vidio/createReel.ts",
    provider: "vidio",
    description: "VIDIO: create the highlight reel job",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidioJobStatus",
    entry: "functions/handlers/vidio/jobStatus.ts",
    provider: "vidio",
    description: "VIDIO: one poll of the highlight reel job",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidioRender",
    entry: "functions/handlers/vidio/render.ts",
    provider: "vidio",
    description: "VIDIO: start rendering the reel",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidioRenderStatus",
    entry: "functions/handlers/vidio/renderStatus.ts",
    provider: "vidio",
    description: "VIDIO: one poll of the render",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidioPublish",
    entry: "functions/handlers/vidio/publish.ts",
    provider: "vidio",
    description: "VIDIO: read the rendered reel's output URL",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VidoriImportAssets",
    entry: "functions/handlers/vidori/importAssets.ts",
    provider: "vidori",
    readsSources: true,
    description: "Vidori: import the next batch of at most 50 assets",
    memoryMb: 256,
    // A batch of 50 presigned URLs and one import request; Vidori answers before it downloads anything.
    // The first batch also checks every S3 source of the job (up to 500 HEADs and container probes).
    timeoutSeconds: 300,
  },
  {
    id: "VidoriPublish",
    entry: "functions/handlers/vidori/publish.ts",
    description: "Vidori: report every asset as accepted or failed (Vidori has no status API)",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
  {
    id: "ViostreamIngest",
    entry: "functions/handlers/viostream/ingest.ts",
    provider: "viostream",
    readsSources: true,
    description: "Viostream: media/new from the source URL under the job's reference id",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "ViostreamIngestStatus",
    entry: "functions/handlers/viostream/ingestStatus.ts",
    provider: "viostream",
    // A create whose answer was lost and is not listed in time is sent again from here.
    readsSources: true,
    description: "Viostream: one poll of the ingest (re-sends a lost create never listed)",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "ViostreamPublish",
    entry: "functions/handlers/viostream/publish.ts",
    provider: "viostream",
    description: "Viostream: find the media by reference id and build its embed code",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "RecordFailure",
    entry: "functions/handlers/recordFailure.ts",
    description: "Turn a caught error into a failure record naming provider, step and reason",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
  {
    id: "RecordResult",
    entry: "functions/handlers/recordResult.ts",
    recordsResults: true,
    description: "Write results/<jobId>.json and publish the job's EventBridge event",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
] as const satisfies readonly PipelineFunction[];

export type PipelineFunctionId = (typeof PIPELINE_FUNCTIONS)[number]["id"];

/** The definition's placeholder for a function's ARN. */
export function arnPlaceholder(id: PipelineFunctionId): string {
  return `${id}FunctionArn`;
}
