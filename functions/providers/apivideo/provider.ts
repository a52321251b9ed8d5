import { defineProvider } from "../core/ProviderDescriptor";
import { apiVideoOptions } from "./options";

/** api.video: uploads the S3 object in chunks, waits for encoding (poll or signed webhook), publishes URLs. */
export const apiVideoProvider = defineProvider({
  id: "apivideo",
  displayName: "api.video",
  maxSources: 1,
  options: apiVideoOptions,
  secret: { apiKey: "<api.video API key>" },
  baseUrl: "https://ws.api.video",
  localBaseUrl: "https://sandbox.api.video",
  functions: [
    {
      id: "ApiVideoUpload",
      entry: "functions/handlers/apivideo/upload.ts",
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
      description: "api.video: one poll of the video's ingest and encoding status",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "ApiVideoAwaitCallback",
      entry: "functions/handlers/apivideo/awaitCallback.ts",
      // Holds the API key too: an event that came before the wait is confirmed by reading the video's status.
      callbacks: true,
      description: "api.video: file the encoding wait's task token for the webhook to complete",
      memoryMb: 128,
      timeoutSeconds: 30,
    },
    {
      id: "ApiVideoPublish",
      entry: "functions/handlers/apivideo/publish.ts",
      description: "api.video: read the playable video's URLs and embed code",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
  ],
  plan: { upload: "ApiVideoUpload", awaitUpload: "ApiVideoStatus", publish: "ApiVideoPublish" },
  webhook: { authentication: "signedBody", stages: { awaitUpload: "ApiVideoAwaitCallback" } },
  createLookup: "the upload step looks the video up by its vidstepJobId metadata before creating one",
  credentialsCheck: "token exchange",
});
