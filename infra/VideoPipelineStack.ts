import { readFileSync } from "node:fs";
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { DefinitionBody, LogLevel, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../functions/catalog";
import { PIPELINE_DEFINITION_PATH } from "../statemachines/pipelineDefinition";
import { PipelineFunction } from "./PipelineFunction";

/** Functions that read the job's source object: the api.video upload streams it, video.dev gets it presigned. */
const READS_SOURCES = new Set<string>(["ApiVideoUpload", "VideoDevImportMedia"]);

/**
 * The pipeline on AWS: the source bucket, one secret per provider, one Lambda per provider operation, and
 * the state machine deployed from `statemachines/pipeline.asl.json` with the functions' ARNs substituted.
 */
export class VideoPipelineStack extends Stack {
  readonly bucket: Bucket;
  readonly stateMachine: StateMachine;
  readonly functions: Map<string, PipelineFunction>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.bucket = new Bucket(this, "Sources", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const secrets = {
      apivideo: new Secret(this, "ApiVideoSecret", {
        description: 'api.video credentials for vidstep: set to {"apiKey": "<your api.video API key>"}',
      }),
      videodev: new Secret(this, "VideoDevSecret", {
        description: 'video.dev credentials for vidstep: set to {"apiKey": "<your video.dev API key>"}',
      }),
    };

    this.functions = new Map();
    const substitutions: Record<string, string> = {};
    for (const entry of PIPELINE_FUNCTIONS) {
      const fn = new PipelineFunction(this, entry);
      if ("provider" in entry) fn.useProviderSecret(entry.provider, secrets[entry.provider]);
      if (READS_SOURCES.has(entry.id)) fn.readSourcesFrom(this.bucket);
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
  }
}
