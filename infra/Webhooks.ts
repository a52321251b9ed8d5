import type { IBucket } from "aws-cdk-lib/aws-s3";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { CallbackProvider } from "../functions/callbacks/CallbackRegistry";
import { PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import { ENTRY_FUNCTIONS } from "../functions/entryFunctions";
import type { JobsApi } from "./JobsApi";
import { acknowledge } from "./nagAcknowledgements";
import { PipelineFunction } from "./PipelineFunction";

export interface WebhooksProps {
  bucket: IBucket;
  /** The pipeline's ARN, built from its fixed name (a reference would close a dependency cycle). */
  stateMachineArn: string;
  api: JobsApi;
  /** The pipeline's functions; those that file callbacks or send callback URLs are wired here. */
  functions: Map<PipelineFunctionId, PipelineFunction>;
  /** Whether api.video is deployed: then its webhook signature secret gets a secret of its own. */
  apiVideo: boolean;
  /**
   * The API-key secrets of the deployed providers that call back: the receiver reads the awaited work back
   * from the provider before it ends a wait, since a webhook body alone proves nothing (video.dev's are unsigned).
   */
  providerSecrets: Partial<Record<CallbackProvider, ISecret>>;
  /** The API's public base URL; without it no callback URL is handed out and every wait polls. */
  publicBaseUrl?: string;
}

/**
 * Webhooks instead of polling: `POST /webhooks/{provider}` (no IAM: providers cannot sign SigV4, so the
 * receiver checks api.video's signature and video.dev's per-task secret itself, then confirms the outcome
 * with the provider's API), the key those secrets are derived from, and the grants that let waits file
 * task tokens and the receiver complete them.
 */
export class Webhooks extends Construct {
  readonly receiver: PipelineFunction;
  readonly signingKey: Secret;
  readonly apiVideoWebhookSecret?: Secret;
  /** Whether waits use webhooks: only when providers have a public URL to call. */
  readonly enabled: boolean;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);
    this.enabled = props.publicBaseUrl !== undefined;
    this.signingKey = new Secret(this, "CallbackSigningKey", {
      description: "vidstep: the key video.dev callback URLs' per-task secrets are derived from",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "signingKey",
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
    acknowledge(
      this.signingKey,
      "AwsSolutions-SMG4",
      "Rotating the key would invalidate the callback URLs of renders in flight; rotate between batches by updating the secret.",
    );

    this.receiver = new PipelineFunction(this, ENTRY_FUNCTIONS.receiveWebhook)
      .fileCallbacksIn(props.bucket)
      .completeTasksOf(props.stateMachineArn)
      .useSecret("CALLBACK_SIGNING_SECRET_ARN", this.signingKey);
    for (const [provider, secret] of Object.entries(props.providerSecrets)) {
      this.receiver.useProviderSecret(provider, secret);
    }
    if (props.apiVideo) {
      // Its own secret, not a field of api.video's: it is issued with the subscription, not the account.
      this.apiVideoWebhookSecret = new Secret(this, "ApiVideoWebhookSecret", {
        description:
          'vidstep: the signatureSecret api.video returned for the /webhooks/apivideo subscription: set to {"webhookSecret": "..."}',
      });
      acknowledge(
        this.apiVideoWebhookSecret,
        "AwsSolutions-SMG4",
        "api.video issues the signature secret with the webhook subscription; rotate by re-subscribing, then update it.",
      );
      this.receiver.useSecret("APIVIDEO_WEBHOOK_SECRET_ARN", this.apiVideoWebhookSecret);
    }
    props.api.addWebhookRoute(this.receiver);

    for (const entry of PIPELINE_FUNCTIONS) {
      const fn = props.functions.get(entry.id);
      if (!fn) continue;
      // A wait may find its completion event already filed and complete the task itself.
      if ("callbacks" in entry && entry.callbacks)
        fn.fileCallbacksIn(props.bucket).completeTasksOf(props.stateMachineArn);
      if ("sendsCallbackUrls" in entry && entry.sendsCallbackUrls && props.publicBaseUrl) {
        fn.useSecret("CALLBACK_SIGNING_SECRET_ARN", this.signingKey);
        fn.addEnvironment("WEBHOOK_BASE_URL", `${props.publicBaseUrl}/webhooks/${entry.provider}`);
      }
    }
  }
}
