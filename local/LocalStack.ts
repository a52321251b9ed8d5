import type { S3Client } from "@aws-sdk/client-s3";
import { ApiVideoClient } from "../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../functions/providers/apivideo/ApiVideoSimulator";
import { VideoDevClient } from "../functions/providers/videodev/VideoDevClient";
import { VideoDevSimulator } from "../functions/providers/videodev/VideoDevSimulator";
import { LocalPipeline } from "./LocalPipeline";
import { LocalS3 } from "./LocalS3";
import { localFunctions } from "./localFunctions";

export interface LocalStackOptions {
  bucket?: string;
  /** How long the simulators take to "process" a video, in milliseconds. */
  processingMs?: number;
  /** Environment to read real provider credentials from; without them the simulators stand in. */
  env?: NodeJS.ProcessEnv;
}

/** Which provider endpoint a local run talks to. */
export interface ProviderEndpoint {
  provider: "apivideo" | "videodev";
  baseUrl: string;
  simulated: boolean;
}

/**
 * Everything the pipeline needs on one machine: a real S3 API (s3rver), the provider simulators (or the
 * real providers when their keys are in the environment), and the state machine with in-process handlers.
 */
export class LocalStack {
  private constructor(
    readonly s3Server: LocalS3,
    readonly s3: S3Client,
    readonly pipeline: LocalPipeline,
    readonly endpoints: ProviderEndpoint[],
    readonly simulators: { apivideo?: ApiVideoSimulator; videodev?: VideoDevSimulator },
  ) {}

  get bucket(): string {
    return this.s3Server.bucket;
  }

  /** Starts S3 and the simulators (only for providers without real credentials) on 127.0.0.1. */
  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const env = options.env ?? process.env;
    const processingMs = options.processingMs ?? 600;
    const s3Server = await LocalS3.start(options.bucket ?? "vidstep-local");
    const s3 = s3Server.client();
    const simulators: { apivideo?: ApiVideoSimulator; videodev?: VideoDevSimulator } = {};
    const endpoints: ProviderEndpoint[] = [];
    try {
      let apiVideo: ApiVideoClient;
      if (env.APIVIDEO_API_KEY) {
        const baseUrl = env.APIVIDEO_BASE_URL ?? "https://sandbox.api.video";
        apiVideo = new ApiVideoClient({ baseUrl, apiKey: env.APIVIDEO_API_KEY });
        endpoints.push({ provider: "apivideo", baseUrl, simulated: false });
      } else {
        const simulator = new ApiVideoSimulator({ processingMs });
        simulators.apivideo = simulator;
        const baseUrl = await simulator.start();
        apiVideo = new ApiVideoClient({ baseUrl, apiKey: simulator.apiKey });
        endpoints.push({ provider: "apivideo", baseUrl, simulated: true });
      }
      let videoDev: VideoDevClient;
      if (env.VIDEODEV_API_KEY) {
        const baseUrl = env.VIDEODEV_BASE_URL ?? "https://api.video.dev/v1";
        videoDev = new VideoDevClient({ baseUrl, apiKey: env.VIDEODEV_API_KEY });
        endpoints.push({ provider: "videodev", baseUrl, simulated: false });
      } else {
        const simulator = new VideoDevSimulator({ processingMs });
        simulators.videodev = simulator;
        const baseUrl = await simulator.start();
        videoDev = new VideoDevClient({ baseUrl, apiKey: simulator.apiKey });
        endpoints.push({ provider: "videodev", baseUrl, simulated: true });
      }
      const pipeline = new LocalPipeline(
        localFunctions({ apivideo: { apiVideo, s3 }, videodev: { videoDev, s3 } }),
      );
      return new LocalStack(s3Server, s3, pipeline, endpoints, simulators);
    } catch (error) {
      await Promise.allSettled([simulators.apivideo?.stop(), simulators.videodev?.stop(), s3Server.stop()]);
      throw error;
    }
  }

  /** Stops every server it started. */
  async stop(): Promise<void> {
    this.s3.destroy();
    await Promise.allSettled([
      this.simulators.apivideo?.stop(),
      this.simulators.videodev?.stop(),
      this.s3Server.stop(),
    ]);
  }
}
