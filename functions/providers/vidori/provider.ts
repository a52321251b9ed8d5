import { defineProvider } from "../core/ProviderDescriptor";
import { MAX_ASSETS_PER_REQUEST, vidoriOptions } from "./options";

/** Vidori: imports a catalog in batches of 50; it documents no status API, so the import is the last call. */
export const vidoriProvider = defineProvider({
  id: "vidori",
  displayName: "Vidori",
  // One job is one execution to follow; bigger catalogs are batch imports. Its lists live in job files.
  maxSources: 500,
  // A batch import's rows become jobs of one import request each.
  importGroupSize: MAX_ASSETS_PER_REQUEST,
  options: vidoriOptions,
  secret: { apiKey: "<Vidori API key, vid_...>" },
  baseUrl: "https://app.vidori.co/api/v1",
  functions: [
    {
      id: "VidoriImportAssets",
      entry: "functions/providers/vidori/importAssets.handler.ts",
      readsSources: true,
      description: "Vidori: import the next batch of at most 50 assets",
      memoryMb: 256,
      // A batch of 50 presigned URLs and one import request; Vidori answers before it downloads anything.
      // The first batch also checks every S3 source of the job (up to 500 HEADs and container probes).
      timeoutSeconds: 300,
    },
    {
      id: "VidoriPublish",
      entry: "functions/providers/vidori/publish.handler.ts",
      usesCredentials: false,
      description: "Vidori: report every asset as accepted or failed (Vidori has no status API)",
      memoryMb: 128,
      timeoutSeconds: 30,
    },
  ],
  workflowNote: "Vidori documents no status API: the import is the last provider call.",
  plan: { create: "VidoriImportAssets", publish: "VidoriPublish" },
});
