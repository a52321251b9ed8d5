import { randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { confirmApiVideoOutcome } from "../functions/callbacks/apiVideoCallbackSource";
import type { AwaitCallbackDependencies } from "../functions/callbacks/awaitCallback";
import { callbackUrl } from "../functions/callbacks/callbackSecret";
import { S3CallbackRegistry } from "../functions/callbacks/S3CallbackRegistry";
import { confirmVideoDevOutcome } from "../functions/callbacks/videoDevCallbackSource";
import { ConfigurationError } from "../functions/handlers/core/environment";
import { createWebhookHandler } from "../functions/handlers/webhooks/receiveWebhook";
import type { Stage } from "../functions/pipeline/stages";
import type { ApiVideoClient } from "../functions/providers/apivideo/ApiVideoClient";
import { QUALITY_COMPLETED_EVENT } from "../functions/providers/apivideo/schemas";
import type { VideoDevClient } from "../functions/providers/videodev/VideoDevClient";
import type { LambdaHandler } from "./invokeLocalLambda";
import { LocalTaskTokens } from "./LocalTaskTokens";

/** The route the webhook receiver serves, as API Gateway names it. */
export const WEBHOOK_ROUTE = "POST /webhooks/{provider}";

/**
 * What a local stack gives the webhooks: its S3 and the bucket the callbacks are filed in, and the clients
 * the receiver confirms each event with (the pipeline's own, so the simulators see the same key).
 */
export interface LocalWebhooksSetup {
  s3: S3Client;
  bucket: string;
  apiVideo: ApiVideoClient;
  videoDev: VideoDevClient;
}

/**
 * Webhooks on one machine: the receiver behind `POST /webhooks/{provider}`, the task tokens the local
 * pipeline waits on, and what the callback functions need. The API's URL is known only once the API
 * serves the receiver, so `connect` comes after the API starts:
 *
 *   const webhooks = new LocalWebhooks({ s3, bucket, apiVideo, videoDev });
 *   const api = await LocalHttpApi.start({ [WEBHOOK_ROUTE]: webhooks.handler });
 *   await webhooks.connect(api.url, simulatedApiVideoClient);
 *   new LocalPipeline(localFunctions({ ..., videodev: { ...videodev, callbackUrl: webhooks.videoDevCallbackUrl },
 *     callbacks: webhooks.callbacks }), { taskTokens: webhooks.taskTokens });
 */
export class LocalWebhooks {
  readonly taskTokens = new LocalTaskTokens();
  /** The waits' registration functions' dependencies: S3 for the registry, the local tokens for completion. */
  readonly callbacks: AwaitCallbackDependencies;
  /** The Lambda handler of the webhook route. */
  readonly handler: LambdaHandler;
  /** A fresh key per local stack: callback URLs of an earlier run cannot complete this one's waits. */
  private readonly signingKey = randomBytes(32).toString("hex");
  private apiVideoSecret: string | undefined;
  private apiUrl: string | undefined;

  constructor(setup: LocalWebhooksSetup) {
    this.callbacks = {
      registry: new S3CallbackRegistry(setup.s3, setup.bucket),
      completion: this.taskTokens,
    };
    this.handler = createWebhookHandler(async () => ({
      ...this.callbacks,
      apiVideoWebhookSecret: async () => this.required(this.apiVideoSecret, "api.video's webhook secret"),
      callbackSigningKey: async () => this.signingKey,
      confirm: {
        apivideo: confirmApiVideoOutcome(setup.apiVideo),
        videodev: confirmVideoDevOutcome(setup.videoDev),
      },
    }));
  }

  /**
   * Points the providers at the local API: subscribes it to api.video's encoding events (a simulator's;
   * a real api.video cannot reach 127.0.0.1) and keeps the signature secret it answers with.
   */
  async connect(apiUrl: string, apiVideo?: ApiVideoClient): Promise<void> {
    this.apiUrl = apiUrl.replace(/\/$/, "");
    if (apiVideo) {
      const webhook = await apiVideo.createWebhook({
        url: `${this.apiUrl}/webhooks/apivideo`,
        events: [QUALITY_COMPLETED_EVENT],
      });
      this.apiVideoSecret = webhook.signatureSecret;
    }
  }

  /** The callback URL of one wait of a provider that calls back to a URL we give it (its `callbackUrl` dependency). */
  callbackUrlFor(provider: string): (jobId: string, stage: Stage) => string {
    return (jobId, stage) =>
      callbackUrl(
        `${this.required(this.apiUrl, "the local API's URL")}/webhooks/${provider}`,
        this.signingKey,
        jobId,
        stage,
      );
  }

  /** The callback URL of one video.dev wait, for the video.dev steps' `callbackUrl` dependency. */
  readonly videoDevCallbackUrl = this.callbackUrlFor("videodev");

  private required(value: string | undefined, what: string): string {
    if (value === undefined) throw new ConfigurationError(`${what} is not known before connect()`);
    return value;
  }
}
