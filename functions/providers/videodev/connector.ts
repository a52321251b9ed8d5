import { videoDevAwaitCallback } from "../../handlers/videodev/awaitCallback";
import { videoDevCreateClip } from "../../handlers/videodev/createClip";
import { videoDevImportMedia } from "../../handlers/videodev/importMedia";
import { videoDevMediaStatus } from "../../handlers/videodev/mediaStatus";
import { videoDevPublish } from "../../handlers/videodev/publish";
import { videoDevRenderClip } from "../../handlers/videodev/renderClip";
import { videoDevRenderStatus } from "../../handlers/videodev/renderStatus";
import type { VideoDevDependencies } from "../../handlers/videodev/videoDevDependencies";
import type { ProviderConnector } from "../core/ProviderConnector";
import { VideoDevClient } from "./VideoDevClient";
import { VideoDevSimulator } from "./VideoDevSimulator";

/** video.dev's client, simulator and local steps. */
export const videoDevConnector: ProviderConnector<VideoDevClient, VideoDevSimulator, VideoDevDependencies> = {
  createClient: ({ baseUrl, credentials }) =>
    new VideoDevClient({ baseUrl, apiKey: credentials.apiKey ?? "" }),
  async startSimulator({ processingMs }) {
    const simulator = new VideoDevSimulator({ processingMs });
    return { simulator, baseUrl: await simulator.start(), credentials: { apiKey: simulator.apiKey } };
  },
  armFailure: (simulator, reason) => simulator.failNextRender(reason),
  localDependencies: ({ client, s3, callbackUrl }) => ({
    videoDev: client,
    s3,
    ...(callbackUrl ? { callbackUrl } : {}),
  }),
  localHandlers: (make, dependencies, callbacks) => ({
    VideoDevImportMedia: make(videoDevImportMedia, async () => dependencies),
    VideoDevMediaStatus: make(videoDevMediaStatus, async () => dependencies),
    VideoDevAwaitCallback: make(videoDevAwaitCallback, async () => ({
      ...(await callbacks()),
      videoDev: dependencies.videoDev,
    })),
    VideoDevCreateClip: make(videoDevCreateClip, async () => dependencies),
    VideoDevRenderClip: make(videoDevRenderClip, async () => dependencies),
    VideoDevRenderStatus: make(videoDevRenderStatus, async () => dependencies),
    VideoDevPublish: make(videoDevPublish, async () => dependencies),
  }),
};
