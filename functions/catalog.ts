/**
 * Every Lambda function of the pipeline, in one list that the CDK app, the local runtime and the tests all
 * read: each function's handler file, and the `${<id>FunctionArn}` placeholder the state machine
 * definition uses for it. A test checks that list and definition agree.
 */
export interface PipelineFunction {
  id: string;
  /** The handler file, relative to the project root; it exports `handler`. */
  entry: string;
  /** Whose credentials the function reads; undefined for provider-agnostic steps. */
  provider?: "apivideo" | "videodev";
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
    id: "ApiVideoPublish",
    entry: "functions/handlers/apivideo/publish.ts",
    provider: "apivideo",
    description: "api.video: read the playable video's URLs and embed code",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevImportMedia",
    entry: "functions/handlers/videodev/importMedia.ts",
    provider: "videodev",
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
    id: "VideoDevCreateClip",
    entry: "functions/handlers/videodev/createClip.ts",
    provider: "videodev",
    description: "video.dev: cut the job's time range from the media",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "VideoDevRenderClip",
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
    id: "RecordFailure",
    entry: "functions/handlers/recordFailure.ts",
    description: "Turn a caught error into a failure record naming provider, step and reason",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
] as const satisfies readonly PipelineFunction[];

export type PipelineFunctionId = (typeof PIPELINE_FUNCTIONS)[number]["id"];

/** The definition's placeholder for a function's ARN. */
export function arnPlaceholder(id: PipelineFunctionId): string {
  return `${id}FunctionArn`;
}
