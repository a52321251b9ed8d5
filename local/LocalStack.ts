import type { S3Client } from "@aws-sdk/client-s3";
import { logger } from "../functions/handlers/core/logger";
import { createUploadHandler } from "../functions/handlers/uploads/startJobFromUpload";
import type { JobsDependencies } from "../functions/jobs/JobsDependencies";
import { allowLocalOrigins } from "../functions/pipeline/outbound/localOrigins";
import { connectorOf } from "../functions/providers/connectors";
import { perProvider } from "../functions/providers/registry";
import { invokeLocalLambda, type LambdaHandler } from "./invokeLocalLambda";
import { LocalBatchImport } from "./LocalBatchImport";
import { LocalHttpApi, type LocalRoutes } from "./LocalHttpApi";
import { LocalJobEvents } from "./LocalJobEvents";
import { LocalJobRuns } from "./LocalJobRuns";
import { LocalPipeline, type LocalRunOptions } from "./LocalPipeline";
import { LocalS3 } from "./LocalS3";
import { type LocalDependencies, localFunctions } from "./localFunctions";
import { localJobRoutes } from "./localJobRoutes";
import { LocalWebhooks, WEBHOOK_ROUTE } from "./localWebhooks";
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
  /** How jobs started through the API or an upload run: shortened waits, progress. */
  runOptions?: LocalRunOptions;
  /** The API's port; 0 (the default) takes a free one. */
  apiPort?: number;
  /** More routes for the local API, given the jobs' clients. */
  routes?: (dependencies: JobsDependencies) => LocalRoutes;
  /**
   * Whether api.video and video.dev waits end on their webhooks (default: yes, when both are simulated;
   * real providers cannot call back to 127.0.0.1, so with real keys those waits poll).
   */
  webhooks?: boolean;
}

/**
 * How long a local webhook wait hears nothing before it polls. Simulators call back within milliseconds,
 * and some outcomes (a failed api.video encoding) send no webhook at all, so the definition's 15 minutes
 * would only make a local run hang.
 */
const LOCAL_CALLBACK_HEARTBEAT_MS = 3_000;

/**
 * Everything the pipeline needs on one machine: a real S3 API (s3rver), the provider simulators (or the
 * real providers when their keys are in the environment), the state machine with in-process handlers, the
 * HTTP API on 127.0.0.1, and the upload trigger listening to the bucket's `inbox/`.
 */
export class LocalStack {
  private readonly uploads = new Set<Promise<unknown>>();

  private constructor(
    readonly s3Server: LocalS3,
    readonly s3: S3Client,
    readonly pipeline: LocalPipeline,
    readonly endpoints: ProviderEndpoint[],
    readonly simulators: Simulators,
    /** Every finished job's event, as the EventBridge rule would see it. */
    readonly events: LocalJobEvents,
    /** The jobs started through the API and uploads, as Step Functions would keep them. */
    readonly runs: LocalJobRuns,
    private readonly httpApi: { current?: LocalHttpApi },
    private readonly forgetLocalOrigins: () => void,
  ) {}

  get bucket(): string {
    return this.s3Server.bucket;
  }

  /** The HTTP API: `POST /jobs`, `GET /jobs/{id}`, `POST /jobs/{id}/redrive` and any added routes. */
  get api(): LocalHttpApi {
    return this.httpApi.current as LocalHttpApi;
  }

  /** Starts S3, the simulators (only for providers without real credentials), the API and the trigger. */
  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const s3Server = await LocalS3.start(options.bucket ?? "vidstep-local");
    const s3 = s3Server.client();
    // Presigned URLs of the local bucket stand in for a partner's CDN in sources: the one loopback origin that
    // user URLs may reach here (see functions/pipeline/outbound/localOrigins.ts).
    const forgetLocalOrigins = allowLocalOrigins([new URL(s3Server.endpoint).host]);
    let simulators: Simulators = {};
    try {
      const connected = await connectProviders(options.env ?? process.env, options.processingMs ?? 600);
      const { clients, endpoints } = connected;
      simulators = connected.simulators;
      const events = new LocalJobEvents(s3Server.bucket);
      const useWebhooks =
        (options.webhooks ?? true) && simulators.apivideo !== undefined && simulators.videodev !== undefined;
      const webhooks = useWebhooks
        ? new LocalWebhooks({
            s3,
            bucket: s3Server.bucket,
            apiVideo: clients.apivideo,
            videoDev: clients.videodev,
          })
        : undefined;
      const pipeline = new LocalPipeline(
        localFunctions({
          ...(perProvider(({ id, ...descriptor }) => {
            // Providers that call back to a URL we give them get one per wait when webhooks are on.
            const callbackUrl =
              webhooks && "webhook" in descriptor && descriptor.webhook.authentication === "callbackUrlSecret"
                ? webhooks.callbackUrlFor(id)
                : undefined;
            return connectorOf(id).localDependencies({
              client: clients[id],
              s3,
              ...(callbackUrl ? { callbackUrl } : {}),
            });
          }) as LocalProviderDependencies),
          results: { s3, bucket: s3Server.bucket, events },
          ...(webhooks ? { callbacks: webhooks.callbacks } : {}),
        }),
        {
          jobFiles: { s3, bucket: s3Server.bucket },
          ...(webhooks ? { taskTokens: webhooks.taskTokens } : {}),
        },
      );
      const runs = new LocalJobRuns(pipeline, {
        callbackHeartbeatMs: LOCAL_CALLBACK_HEARTBEAT_MS,
        ...options.runOptions,
      });
      const dependencies: JobsDependencies = { runs, s3, bucket: s3Server.bucket };
      const httpApi: { current?: LocalHttpApi } = {};
      const stack = new LocalStack(
        s3Server,
        s3,
        pipeline,
        endpoints,
        simulators,
        events,
        runs,
        httpApi,
        forgetLocalOrigins,
      );
      httpApi.current = await LocalHttpApi.start(
        {
          ...localJobRoutes(dependencies),
          ...(webhooks ? { [WEBHOOK_ROUTE]: webhooks.handler } : {}),
          ...options.routes?.(dependencies),
        },
        options.apiPort,
      );
      // The simulators deliver to the API like providers deliver to API Gateway, so they need its URL.
      await webhooks?.connect(httpApi.current.url, clients.apivideo);
      stack.listenToUploads(dependencies);
      return stack;
    } catch (error) {
      forgetLocalOrigins();
      s3.destroy();
      await Promise.allSettled([stopSimulators(simulators), s3Server.stop()]);
      throw error;
    }
  }

  /** Runs one scheduled batch import now: claims the manifests under `imports/` and reports on each. */
  async importManifests() {
    return new LocalBatchImport({ s3: this.s3, bucket: this.bucket, pipeline: this.pipeline }).run();
  }

  /** Resolves when every upload event was handled and every job it or the API started has ended. */
  async idle(): Promise<void> {
    while (this.uploads.size > 0) await Promise.allSettled([...this.uploads]);
    await this.runs.idle();
  }

  /** Stops every server it started; jobs still running fail against the stopped servers. */
  async stop(): Promise<void> {
    this.forgetLocalOrigins();
    this.s3.destroy();
    await Promise.allSettled([
      this.httpApi.current?.stop(),
      stopSimulators(this.simulators),
      this.s3Server.stop(),
    ]);
  }

  /** Calls the upload trigger's handler for s3rver's events, as S3 notifications call the Lambda. */
  private listenToUploads(dependencies: JobsDependencies) {
    // s3rver's events are S3 notification events, which is what the handler takes.
    const handler = createUploadHandler(async () => dependencies) as LambdaHandler;
    this.s3Server.onObjectEvent((event) => {
      const handled = invokeLocalLambda("local-s3:startJobFromUpload", handler, event, 30)
        .catch((error: unknown) => logger.error("upload trigger failed", { error: error as Error }))
        .finally(() => this.uploads.delete(handled));
      this.uploads.add(handled);
    });
  }
}

/** Each provider's dependencies, as `localFunctions` takes them. */
type LocalProviderDependencies = Omit<LocalDependencies, "results" | "jobFiles" | "callbacks">;
