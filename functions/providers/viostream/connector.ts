import type { ProviderConnector } from "../core/ProviderConnector";
import type { ViostreamDependencies } from "./dependencies";
import { ingestStep } from "./ingest";
import { ingestStatusStep } from "./ingestStatus";
import { publishStep } from "./publish";
import { ViostreamClient } from "./ViostreamClient";
import { ViostreamSimulator } from "./ViostreamSimulator";

/** Viostream's client, simulator and local steps. */
export const viostreamConnector: ProviderConnector<
  ViostreamClient,
  ViostreamSimulator,
  ViostreamDependencies
> = {
  createClient: ({ baseUrl, credentials }) =>
    new ViostreamClient({
      baseUrl,
      credentials: { accessKey: credentials.accessKey ?? "", apiKey: credentials.apiKey ?? "" },
    }),
  async startSimulator({ processingMs }) {
    const simulator = new ViostreamSimulator({ processingMs });
    return { simulator, baseUrl: await simulator.start(), credentials: simulator.credentials };
  },
  armFailure: (simulator, reason) => simulator.failNextIngest(reason),
  async checkCredentials(client) {
    const account = await client.accountInfo();
    return `Viostream accepted the credentials (account ${JSON.stringify(account).slice(0, 120)})`;
  },
  localDependencies: ({ client, s3 }) => ({ viostream: client, s3 }),
  localHandlers: (make, dependencies) => ({
    ViostreamIngest: make(ingestStep, async () => dependencies),
    ViostreamIngestStatus: make(ingestStatusStep, async () => dependencies),
    ViostreamPublish: make(publishStep, async () => dependencies),
  }),
};
