import type { S3Client } from "@aws-sdk/client-s3";
import { sourceReader } from "../functions/pipeline/sourceReader";
import { LocalJobEvents } from "./LocalJobEvents";
import { LocalPipeline } from "./LocalPipeline";
import { LocalS3 } from "./LocalS3";
import { localFunctions } from "./localFunctions";
import {
  connectProviders,
  type ProviderEndpoint,
  type Simulators,
  stopSimulators,
} from "./providerConnections";

export interface LocalStackOptions {
  bucket?: string;
  /** How long the simulators take to "process" a video, in milliseconds. */
  processingMs?: number;
  /** Environment to read real provider credentials from; without them the simulators stand in. */
  env?: NodeJS.ProcessEnv;
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
    readonly simulators: Simulators,
    /** Every finished job's event, as the EventBridge rule would see it. */
    readonly events: LocalJobEvents,
  ) {}

  get bucket(): string {
    return this.s3Server.bucket;
  }

  /** Starts S3 and the simulators (only for providers without real credentials) on 127.0.0.1. */
  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const s3Server = await LocalS3.start(options.bucket ?? "vidstep-local");
    const s3 = s3Server.client();
    try {
      const { clients, endpoints, simulators } = await connectProviders(
        options.env ?? process.env,
        options.processingMs ?? 600,
      );
      const events = new LocalJobEvents(s3Server.bucket);
      const pipeline = new LocalPipeline(
        localFunctions({
          apivideo: { apiVideo: clients.apivideo, s3 },
          videodev: { videoDev: clients.videodev, s3 },
          vidio: { vidio: clients.vidio, reader: sourceReader(s3) },
          vidori: { vidori: clients.vidori, s3 },
          viostream: { viostream: clients.viostream, s3 },
          results: { s3, bucket: s3Server.bucket, events },
        }),
      );
      return new LocalStack(s3Server, s3, pipeline, endpoints, simulators, events);
    } catch (error) {
      s3.destroy();
      await s3Server.stop();
      throw error;
    }
  }

  /** Stops every server it started. */
  async stop(): Promise<void> {
    this.s3.destroy();
    await Promise.allSettled([stopSimulators(this.simulators), this.s3Server.stop()]);
  }
}
