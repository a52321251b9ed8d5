import { vidioCreateReel } from "../../handlers/vidio/createReel";
import { vidioJobStatus } from "../../handlers/vidio/jobStatus";
import { vidioPublish } from "../../handlers/vidio/publish";
import { vidioRender } from "../../handlers/vidio/render";
import { vidioRenderStatus } from "../../handlers/vidio/renderStatus";
import { vidioUpload } from "../../handlers/vidio/upload";
import type { VidioDependencies } from "../../handlers/vidio/vidioDependencies";
import { vidioPathsFromEnvironment } from "../../handlers/vidio/vidioPathsFromEnvironment";
import { sourceReader } from "../../pipeline/sourceReader";
import type { ProviderConnector } from "../core/ProviderConnector";
import { VidioClient } from "./VidioClient";
import { VidioSimulator } from "./VidioSimulator";

/** VIDIO's client (its assumed REST paths overridable by `VIDIO_PATHS`), simulator and local steps. */
export const vidioConnector: ProviderConnector<VidioClient, VidioSimulator, VidioDependencies> = {
  createClient: ({ baseUrl, credentials, env }) =>
    new VidioClient({ baseUrl, apiKey: credentials.apiKey ?? "", paths: vidioPathsFromEnvironment(env) }),
  async startSimulator({ processingMs }) {
    const simulator = new VidioSimulator({ processingMs });
    return { simulator, baseUrl: await simulator.start(), credentials: { apiKey: simulator.apiKey } };
  },
  armFailure: (simulator, reason) => simulator.failNextRender(reason),
  localDependencies: ({ client, s3 }) => ({ vidio: client, reader: sourceReader(s3) }),
  localHandlers: (make, dependencies) => ({
    VidioUpload: make(vidioUpload, async () => dependencies),
    VidioCreateReel: make(vidioCreateReel, async () => dependencies),
    VidioJobStatus: make(vidioJobStatus, async () => dependencies),
    VidioRender: make(vidioRender, async () => dependencies),
    VidioRenderStatus: make(vidioRenderStatus, async () => dependencies),
    VidioPublish: make(vidioPublish, async () => dependencies),
  }),
};
