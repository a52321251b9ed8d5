import { defineProvider } from "../core/ProviderDescriptor";
import { vidioOptions } from "./options";

/** VIDIO: uploads every input, creates a highlight reel, renders it; every wait polls. */
export const vidioProvider = defineProvider({
  id: "vidio",
  displayName: "VIDIO",
  // VIDIO's documented limit on inputs of one reel.
  maxSources: 400,
  options: vidioOptions,
  secret: { apiKey: "<VIDIO API key>" },
  baseUrl: "https://api.vidio.ai/v1",
  functions: [
    {
      id: "VidioUpload",
      entry: "functions/providers/vidio/upload.handler.ts",
      readsSources: true,
      description: "VIDIO: check every input's duration from its container, then stream the inputs in order",
      // Streams pass through in small buffers; the headroom is for the SDK and the container parser.
      memoryMb: 512,
      timeoutSeconds: 900,
    },
    {
      id: "VidioCreateReel",
      entry: "functions/providers/vidio/createReel.handler.ts",
      description: "VIDIO: create the highlight reel job",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VidioJobStatus",
      entry: "functions/providers/vidio/jobStatus.handler.ts",
      description: "VIDIO: one poll of the highlight reel job",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VidioRender",
      entry: "functions/providers/vidio/render.handler.ts",
      description: "VIDIO: start rendering the reel",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VidioRenderStatus",
      entry: "functions/providers/vidio/renderStatus.handler.ts",
      description: "VIDIO: one poll of the render",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "VidioPublish",
      entry: "functions/providers/vidio/publish.handler.ts",
      description: "VIDIO: read the rendered reel's output URL",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
  ],
  plan: {
    upload: "VidioUpload",
    create: "VidioCreateReel",
    awaitCreate: "VidioJobStatus",
    render: "VidioRender",
    awaitRender: "VidioRenderStatus",
    publish: "VidioPublish",
  },
});
