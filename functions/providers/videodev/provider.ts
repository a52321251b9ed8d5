import { defineProvider } from "../core/ProviderDescriptor";
import { videoDevOptions } from "./options";

/** video.dev: imports the media from a URL, cuts a clip, renders it cropped; waits poll or take webhooks. */
export const videoDevProvider = defineProvider({
  id: "videodev",
  displayName: "video.dev",
  maxSources: 1,
  options: videoDevOptions,
  secret: { apiKey: "<video.dev API key>" },
  baseUrl: "https://api.video.dev/v1",
  functions: [
    {
      id: "VideoDevImportMedia",
      sendsCallbackUrls: true,
      entry: "functions/handlers/videodev/importMedia.ts",
      readsSources: true,
      description: "video.dev: import the source from its URL (S3 objects as presigned GETs)",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VideoDevMediaStatus",
      entry: "functions/handlers/videodev/mediaStatus.ts",
      description: "video.dev: one poll of the media import",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VideoDevAwaitCallback",
      entry: "functions/handlers/videodev/awaitCallback.ts",
      // Holds the API key too: an event that came before the wait is confirmed by reading the media or render.
      callbacks: true,
      description: "video.dev: file an import or render wait's task token for the webhook to complete",
      memoryMb: 128,
      timeoutSeconds: 30,
    },
    {
      id: "VideoDevCreateClip",
      entry: "functions/handlers/videodev/createClip.ts",
      description: "video.dev: cut the job's time range from the media",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VideoDevRenderClip",
      sendsCallbackUrls: true,
      entry: "functions/handlers/videodev/renderClip.ts",
      description: "video.dev: render the clip with crop and smart crop",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VideoDevRenderStatus",
      entry: "functions/handlers/videodev/renderStatus.ts",
      description: "video.dev: one poll of the render",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VideoDevPublish",
      entry: "functions/handlers/videodev/publish.ts",
      description: "video.dev: read the rendered clip's URL and media info",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
  ],
  plan: {
    upload: "VideoDevImportMedia",
    awaitUpload: "VideoDevMediaStatus",
    create: "VideoDevCreateClip",
    render: "VideoDevRenderClip",
    awaitRender: "VideoDevRenderStatus",
    publish: "VideoDevPublish",
  },
  webhook: {
    authentication: "callbackUrlSecret",
    stages: { awaitUpload: "VideoDevAwaitCallback", awaitRender: "VideoDevAwaitCallback" },
  },
});
