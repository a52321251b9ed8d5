import { readFileSync } from "node:fs";
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { DefinitionBody, LogLevel, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../functions/catalog";
import { PROVIDER_NAMES, PROVIDERS, type Provider } from "../functions/pipeline/jobSpec";
import { PIPELINE_DEFINITION_PATH } from "../statemachines/pipelineDefinition";
import { JobsApi } from "./JobsApi";
import { PipelineFunction } from "./PipelineFunction";
import { UploadTrigger } from "./UploadTrigger";

/** What to put into each provider's secret. */
const SECRET_SHAPES: Record<Provider, string> = {
  apivideo: '{"apiKey": "<api.video API key>"}',
  videodev: '{"apiKey": "<video.dev API key>"}',
  vidio: '{"apiKey": "<VIDIO API key>"}',
  vidori: '{"apiKey": "<Vidori API key, vid_...>"}',
  viostream: '{"accessKey": "<VC-...>", "apiKey": "<Viostream API key>"}',
};

export interface VideoPipelineStackProps extends StackProps {
  /**
   * An existing bucket to take sources from and start jobs on (`inbox/`), instead of creating one; also
   * read from the context value `existingBucketName` (`cdk deploy -c existingBucketName=...`).
   */
  existingBucketName?: string;
}

/**
 * The pipeline on AWS: the source bucket, one secret per provider, one Lambda per provider operation, and
 * the state machine deployed from `statemachines/pipeline.asl.json` with the functions' ARNs substituted,
 * the HTTP API that starts and inspects jobs, and the trigger that starts a job for each upload to `inbox/`.
 */
export class VideoPipelineStack extends Stack {
  readonly bucket: IBucket;
  readonly stateMachine: StateMachine;
  readonly functions: Map<string, PipelineFunction>;
  readonly jobsApi: JobsApi;
  readonly uploadTrigger: UploadTrigger;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps = {}) {
    super(scope, id, props);

    const existingBucketName =
      props.existingBucketName ?? (this.node.tryGetContext("existingBucketName") as string | undefined);
    this.bucket = existingBucketName
      ? Bucket.fromBucketName(this, "Sources", existingBucketName)
      : new Bucket(this, "Sources", {
          encryption: BucketEncryption.S3_MANAGED,
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          removalPolicy: RemovalPolicy.RETAIN,
        });

    const secrets = Object.fromEntries(
      PROVIDERS.map((provider) => [
        provider,
        new Secret(this, `${PROVIDER_NAMES[provider].replace(/\W/g, "")}Secret`, {
          description: `${PROVIDER_NAMES[provider]} credentials for vidstep: set to ${SECRET_SHAPES[provider]}`,
        }),
      ]),
    ) as Record<Provider, Secret>;

    this.functions = new Map();
    const substitutions: Record<string, string> = {};
    for (const entry of PIPELINE_FUNCTIONS) {
      const fn = new PipelineFunction(this, entry);
      if ("provider" in entry) fn.useProviderSecret(entry.provider, secrets[entry.provider]);
      if ("readsSources" in entry && entry.readsSources) fn.readSourcesFrom(this.bucket);
      this.functions.set(entry.id, fn);
      substitutions[arnPlaceholder(entry.id)] = fn.functionArn;
    }

    this.stateMachine = new StateMachine(this, "Pipeline", {
      // Inlined rather than uploaded as an asset, so the synthesised template shows the deployed workflow.
      definitionBody: DefinitionBody.fromString(readFileSync(PIPELINE_DEFINITION_PATH, "utf8")),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "PipelineLogs", { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        // Execution data holds job specs and provider answers; keep it out of the logs.
        includeExecutionData: false,
      },
    });
    for (const fn of this.functions.values()) fn.grantInvoke(this.stateMachine);

    this.jobsApi = new JobsApi(this, "Jobs", { stateMachine: this.stateMachine, bucket: this.bucket });
    this.uploadTrigger = new UploadTrigger(this, "Uploads", {
      stateMachine: this.stateMachine,
      bucket: this.bucket,
    });

    new CfnOutput(this, "BucketName", { value: this.bucket.bucketName });
    new CfnOutput(this, "StateMachineArn", { value: this.stateMachine.stateMachineArn });
  }
}
