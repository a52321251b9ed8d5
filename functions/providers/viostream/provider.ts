import { defineProvider } from "../core/ProviderDescriptor";
import { viostreamOptions } from "./options";

/** Viostream: ingests the source from a URL under the job's reference id, polls it, publishes its embed. */
export const viostreamProvider = defineProvider({
  id: "viostream",
  displayName: "Viostream",
  maxSources: 1,
  options: viostreamOptions,
  secret: { accessKey: "<VC-...>", apiKey: "<Viostream API key>" },
  baseUrl: "https://api.app.viostream.com/v3/api",
  functions: [
    {
      id: "ViostreamIngest",
      entry: "functions/providers/viostream/ingest.handler.ts",
      readsSources: true,
      description: "Viostream: media/new from the source URL under the job's reference id",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "ViostreamIngestStatus",
      entry: "functions/providers/viostream/ingestStatus.handler.ts",
      // A create whose answer was lost and is not listed in time is sent again from here.
      readsSources: true,
      description: "Viostream: one poll of the ingest (re-sends a lost create never listed)",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
    {
      id: "ViostreamPublish",
      entry: "functions/providers/viostream/publish.handler.ts",
      description: "Viostream: find the media by reference id and build its embed code",
      memoryMb: 256,
      timeoutSeconds: 60,
    },
  ],
  plan: { create: "ViostreamIngest", awaitCreate: "ViostreamIngestStatus", publish: "ViostreamPublish" },
  createLookup: "the ingest is looked up by its referenceId before one is created",
  credentialsCheck: "account/info",
});
