import type { ApiVideoDependencies } from "../../handlers/apivideo/apiVideoDependencies";
import { apiVideoAwaitCallback } from "../../handlers/apivideo/awaitCallback";
import { apiVideoPublish } from "../../handlers/apivideo/publish";
import { apiVideoStatus } from "../../handlers/apivideo/status";
import { apiVideoUpload } from "../../handlers/apivideo/upload";
import type { ProviderConnector } from "../core/ProviderConnector";
import { ApiVideoClient } from "./ApiVideoClient";
import { ApiVideoSimulator } from "./ApiVideoSimulator";

/** api.video's client, simulator and local steps. */
export const apiVideoConnector: ProviderConnector<ApiVideoClient, ApiVideoSimulator, ApiVideoDependencies> = {
  createClient: ({ baseUrl, credentials }) =>
    new ApiVideoClient({ baseUrl, apiKey: credentials.apiKey ?? "" }),
  async startSimulator({ processingMs }) {
    const simulator = new ApiVideoSimulator({ processingMs });
    return { simulator, baseUrl: await simulator.start(), credentials: { apiKey: simulator.apiKey } };
  },
  armFailure: (simulator) => simulator.failNextEncoding(),
  async checkCredentials(client) {
    // A list call needs a token, so it exercises the key-for-token exchange.
    await client.findVideoByJobId("vidstep-credentials-check");
    return "api.video accepted the key";
  },
  localDependencies: ({ client, s3 }) => ({ apiVideo: client, s3 }),
  localHandlers: (make, dependencies, callbacks) => ({
    ApiVideoUpload: make(apiVideoUpload, async () => dependencies),
    ApiVideoStatus: make(apiVideoStatus, async () => dependencies),
    ApiVideoAwaitCallback: make(apiVideoAwaitCallback, async () => ({
      ...(await callbacks()),
      apiVideo: dependencies.apiVideo,
    })),
    ApiVideoPublish: make(apiVideoPublish, async () => dependencies),
  }),
};
