import type { ProviderConnector } from "../core/ProviderConnector";
import type { VidoriDependencies } from "./dependencies";
import { importAssetsStep } from "./importAssets";
import { publishStep } from "./publish";
import { VidoriClient } from "./VidoriClient";
import { VidoriSimulator } from "./VidoriSimulator";

/** Vidori's client, simulator and local steps. */
export const vidoriConnector: ProviderConnector<VidoriClient, VidoriSimulator, VidoriDependencies> = {
  createClient: ({ baseUrl, credentials }) => new VidoriClient({ baseUrl, apiKey: credentials.apiKey ?? "" }),
  async startSimulator() {
    const simulator = new VidoriSimulator();
    return { simulator, baseUrl: await simulator.start(), credentials: { apiKey: simulator.apiKey } };
  },
  // Vidori has no job to fail: it refuses the assets, which is how it reports a bad import.
  armFailure: (simulator, reason) => simulator.rejectUrlsMatching(/./, reason),
  localDependencies: ({ client, s3 }) => ({ vidori: client, s3 }),
  localHandlers: (make, dependencies) => ({
    VidoriImportAssets: make(importAssetsStep, async () => dependencies),
    VidoriPublish: make(publishStep, async () => undefined),
  }),
};
