import { ArnFormat, Duration, Names, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { EventBus } from "aws-cdk-lib/aws-events";
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from "aws-cdk-lib/aws-s3";
import type { ScheduleExpression } from "aws-cdk-lib/aws-scheduler";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { CALLBACK_PROVIDERS } from "../functions/callbacks/CallbackRegistry";
import { CALLBACK_PREFIX } from "../functions/callbacks/S3CallbackRegistry";
import { arnPlaceholder, PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import { PROVIDERS, type Provider } from "../functions/pipeline/jobSpec";
import {
  definitionPlaceholders,
  pipelineDefinitionFor,
  WEBHOOKS_ENABLED_PLACEHOLDER,
} from "../statemachines/pipelineDefinition";
import { BatchImport } from "./BatchImport";
import { FinishedJobEvents } from "./FinishedJobEvents";
import { JobsApi } from "./JobsApi";
import { acknowledge } from "./nagAcknowledgements";
import { allowInvoking, PipelineFunction } from "./PipelineFunction";
import { PipelineStateMachine } from "./PipelineStateMachine";
import { type ExistingSecret, ProviderSecrets } from "./ProviderSecrets";
import { StoppedExecutionResults } from "./StoppedExecutionResults";
import { UploadTrigger } from "./UploadTrigger";
import { Webhooks } from "./Webhooks";

export interface VideoPipelineProps {
  /** The providers to deploy functions for (default: all five); jobs for others fail with a clear reason. */
  providers?: readonly Provider[];
  /** An existing bucket for sources and results; default: a new private, encrypted, TLS-only bucket. */
  bucket?: IBucket;
  /** Existing secrets (the secret, its ARN or its name) per provider; the others are created empty. */
  secrets?: Partial<Record<Provider, ExistingSecret>>;
  /** Where the execution alarms notify. */
  alarmTopic?: ITopic;
  /**
   * The HTTPS base URL providers reach the API at (its default endpoint or a custom domain). With it,
   * api.video and video.dev waits end on webhooks; without it, they poll.
   */
  webhookBaseUrl?: string;
  /** How often manifests under `imports/` are picked up; default every 15 minutes. */
  batchImportSchedule?: ScheduleExpression;
}

/** Props that cannot make a working pipeline; the message names the prop and the value. */
export class VideoPipelinePropsError extends Error {
  override readonly name = "VideoPipelinePropsError";
}

/**
 * The whole pipeline as one construct: the bucket (given or created), one secret per provider, one Lambda
 * per provider operation, the state machine from `statemachines/pipeline.asl.json`, the finished-job bus,
 * the alarms, and the three ways jobs start: the IAM-authorised HTTP API, uploads to `inbox/`, and the
 * scheduled batch import of manifests under `imports/`. Add it to any CDK app with `new VideoPipeline(this, "Pipeline", { providers })`.
 */
export class VideoPipeline extends Construct {
  readonly bucket: IBucket;
  readonly providers: readonly Provider[];
  readonly secrets: ProviderSecrets;
  readonly jobEvents: EventBus;
  readonly functions: Map<PipelineFunctionId, PipelineFunction>;
  readonly stateMachine: StateMachine;
  readonly workflow: PipelineStateMachine;
  readonly batchImport: BatchImport;
  readonly jobsApi: JobsApi;
  readonly uploadTrigger: UploadTrigger;
  readonly webhooks: Webhooks;

  constructor(scope: Construct, id: string, props: VideoPipelineProps = {}) {
    super(scope, id);
    this.providers = validProviders(props);
    this.bucket =
      props.bucket ??
      new Bucket(this, "Sources", {
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
        serverAccessLogsBucket: accessLogBucket(this),
        serverAccessLogsPrefix: "sources/",
        // Webhook callbacks and early events are only useful while a job waits (at most the 6-hour timeout).
        lifecycleRules: [{ prefix: CALLBACK_PREFIX, expiration: Duration.days(7) }],
      });
    this.secrets = new ProviderSecrets(this, "Secrets", {
      providers: this.providers,
      ...(props.secrets ? { existing: props.secrets } : {}),
    });
    this.jobEvents = new FinishedJobEvents(this, "FinishedJobs").bus;

    // A function exists exactly when the deployed definition names it: other providers' plans are gone.
    const definition = pipelineDefinitionFor(this.providers, PROVIDERS);
    const named = new Set(definitionPlaceholders(definition));
    this.functions = new Map();
    const substitutions: Record<string, string> = {};
    for (const entry of PIPELINE_FUNCTIONS) {
      if (!named.has(arnPlaceholder(entry.id))) continue;
      // Every step may meet a large job, whose sources and outcomes are job files rather than state.
      const fn = new PipelineFunction(this, entry).keepJobFilesIn(this.bucket);
      if (entry.provider) fn.useProviderSecret(entry.provider, this.secrets.secretFor(entry.provider));
      if ("readsSources" in entry && entry.readsSources) fn.readSourcesFrom(this.bucket);
      if ("recordsResults" in entry && entry.recordsResults) fn.recordResultsIn(this.bucket, this.jobEvents);
      this.functions.set(entry.id, fn);
      substitutions[arnPlaceholder(entry.id)] = fn.functionArn;
    }

    if (named.has(WEBHOOKS_ENABLED_PLACEHOLDER)) {
      substitutions[WEBHOOKS_ENABLED_PLACEHOLDER] = String(props.webhookBaseUrl !== undefined);
    }
    // A fixed name lets the webhook grants name the machine without referencing it (which would be a cycle).
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 72, separator: "-" });
    this.workflow = new PipelineStateMachine(this, "StateMachine", {
      stateMachineName,
      definition,
      substitutions,
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
    });
    this.stateMachine = this.workflow.stateMachine;
    allowInvoking(this.stateMachine, this.functions.values());

    new StoppedExecutionResults(this, "StoppedExecutions", {
      stateMachine: this.stateMachine,
      bucket: this.bucket,
      jobEvents: this.jobEvents,
    });
    this.jobsApi = new JobsApi(this, "Jobs", { stateMachine: this.stateMachine, bucket: this.bucket });
    this.webhooks = new Webhooks(this, "Webhooks", {
      bucket: this.bucket,
      stateMachineArn: Stack.of(this).formatArn({
        service: "states",
        resource: "stateMachine",
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      api: this.jobsApi,
      functions: this.functions,
      apiVideo: this.providers.includes("apivideo"),
      providerSecrets: Object.fromEntries(
        CALLBACK_PROVIDERS.filter((provider) => this.providers.includes(provider)).map((provider) => [
          provider,
          this.secrets.secretFor(provider),
        ]),
      ),
      ...(props.webhookBaseUrl ? { publicBaseUrl: props.webhookBaseUrl.replace(/\/+$/, "") } : {}),
    });
    this.uploadTrigger = new UploadTrigger(this, "Uploads", {
      stateMachine: this.stateMachine,
      bucket: this.bucket,
    });
    this.batchImport = new BatchImport(this, "BatchImport", {
      bucket: this.bucket,
      pipeline: this.stateMachine,
      ...(props.batchImportSchedule ? { schedule: props.batchImportSchedule } : {}),
    });
  }
}

function validProviders(props: VideoPipelineProps): readonly Provider[] {
  const providers = props.providers ?? PROVIDERS;
  if (providers.length === 0) {
    throw new VideoPipelinePropsError(`providers must name at least one of ${PROVIDERS.join(", ")} (got [])`);
  }
  for (const provider of providers) {
    if (!(PROVIDERS as readonly string[]).includes(provider)) {
      throw new VideoPipelinePropsError(
        `providers: "${provider}" is not a provider; use ${PROVIDERS.join(", ")}`,
      );
    }
  }
  if (props.webhookBaseUrl !== undefined && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(props.webhookBaseUrl)) {
    throw new VideoPipelinePropsError(
      `webhookBaseUrl must be an https:// URL providers can reach (got "${props.webhookBaseUrl}")`,
    );
  }
  const repeated = providers.find((provider, index) => providers.indexOf(provider) !== index);
  if (repeated) throw new VideoPipelinePropsError(`providers: "${repeated}" is listed twice`);
  for (const provider of Object.keys(props.secrets ?? {})) {
    if (!(providers as readonly string[]).includes(provider)) {
      throw new VideoPipelinePropsError(
        `secrets.${provider}: "${provider}" is not among providers (${providers.join(", ")})`,
      );
    }
  }
  return providers;
}

/** Where the created bucket's access logs go: private, TLS-only, kept a year. */
function accessLogBucket(scope: Construct): Bucket {
  const logs = new Bucket(scope, "AccessLogs", {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: Duration.days(365) }],
  });
  acknowledge(
    logs,
    "AwsSolutions-S1",
    "This is the access log bucket; logging its own access would log the logging.",
  );
  return logs;
}
