import { sourceReader } from "../../pipeline/sourceReader";
import type { ProviderConnector } from "../core/ProviderConnector";
import { createReelStep } from "./createReel";
import type { VidioDependencies } from "./dependencies";
import { jobStatusStep } from "./jobStatus";
import { pathsFromEnvironment } from "./pathsFromEnvironment";
import { publishStep } from "./publish";
import { renderStep } from "./render";
import { renderStatusStep } from "./renderStatus";
import { uploadStep } from "./upload";
import { VidioClient } from "./VidioClient";
import { VidioSimulator } from "./VidioSimulator";

/** VIDIO's client (its assumed REST paths overridable by `VIDIO_PATHS`), simulator and local steps. */
export const vidioConnector: ProviderConnector<VidioClient, VidioSimulator, VidioDependencies> = {
  createClient: ({ baseUrl, credentials, env }) =>
    new VidioClient({ baseUrl, apiKey: credentials.apiKey ?? "", paths: pathsFromEnvironment(env) }),
  async startSimulator({ processingMs }) {
    const simulator = new VidioSimulator({ processingMs });
    return { simulator, baseUrl: await simulator.start(), credentials: { apiKey: simulator.apiKey } };
  },
  armFailure: (simulator, reason) => simulator.failNextRender(reason),
  localDependencies: ({ client, s3 }) => ({ vidio: client, reader: sourceReader(s3) }),
  localHandlers: (make, dependencies) => ({
    VidioUpload: make(uploadStep, async () => dependencies),
    VidioCreateReel: make(createReelStep, async () => dependencies),
    VidioJobStatus: make(jobStatusStep, async () => dependencies),
    VidioRender: make(renderStep, async () => dependencies),
    VidioRenderStatus: make(renderStatusStep, async () => dependencies),
    VidioPublish: make(publishStep, async () => dependencies),
  }),
};
