import { readFileSync } from "node:fs";
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { CloudWatchLogGroup } from "aws-cdk-lib/aws-events-targets";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { DefinitionBody, LogLevel, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../functions/catalog";
import { PROVIDER_NAMES, PROVIDERS, type Provider } from "../functions/pipeline/jobSpec";
import { JOB_EVENT_SOURCE } from "../functions/results/JobEvents";
import { PIPELINE_DEFINITION_PATH } from "../statemachines/pipelineDefinition";
import { PipelineFunction } from "./PipelineFunction";

/** What to put into each provider's secret. */
const SECRET_SHAPES: Record<Provider, string> = {
  apivideo: '{"apiKey": "<api.video API key>"}',
  videodev: '{"apiKey": "<video.dev API key>"}',
  vidio: '{"apiKey": "<VIDIO API key>"}',
  vidori: '{"apiKey": "<Vidori API key, vid_...>"}',
  viostream: '{"accessKey": "<VC-...>", "apiKey": "<Viostream API key>"}',
};

/**
 * The pipeline on AWS: the source bucket, one secret per provider, one Lambda per provider operation, and
 * the state machine deployed from `statemachines/pipeline.asl.json` with the functions' ARNs substituted.
 */
export class VideoPipelineStack extends Stack {
  readonly bucket: Bucket;
  readonly stateMachine: StateMachine;
  readonly jobEvents: EventBus;
  readonly functions: Map<string, PipelineFunction>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.bucket = new Bucket(this, "Sources", {
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

    // A bus of its own, so consumers subscribe to finished jobs without seeing the account's other events.
    this.jobEvents = new EventBus(this, "JobEvents");
    new Rule(this, "FinishedJobsToLogs", {
      eventBus: this.jobEvents,
      description: "Every finished job (succeeded or failed, with provider, step and reason), kept for audit",
      eventPattern: { source: [JOB_EVENT_SOURCE] },
      targets: [
        new CloudWatchLogGroup(new LogGroup(this, "FinishedJobs", { retention: RetentionDays.ONE_YEAR })),
      ],
    });

    this.functions = new Map();
    const substitutions: Record<string, string> = {};
    for (const entry of PIPELINE_FUNCTIONS) {
      const fn = new PipelineFunction(this, entry);
      if ("provider" in entry) fn.useProviderSecret(entry.provider, secrets[entry.provider]);
      if ("readsSources" in entry && entry.readsSources) fn.readSourcesFrom(this.bucket);
      if ("recordsResults" in entry && entry.recordsResults) fn.recordResultsIn(this.bucket, this.jobEvents);
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

    new CfnOutput(this, "BucketName", { value: this.bucket.bucketName });
    new CfnOutput(this, "StateMachineArn", { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, "JobEventBusName", { value: this.jobEvents.eventBusName });
  }
}
