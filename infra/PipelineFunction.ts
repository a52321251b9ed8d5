import { fileURLToPath } from "node:url";
import { Duration } from "aws-cdk-lib";
import { Architecture, LoggingFormat, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import type { PipelineFunction as CatalogEntry } from "../functions/catalog";

/** The project root: handler entries in the catalog are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * A pipeline Lambda with the project's defaults: Node.js 22 on arm64 (cheaper per GB-s), bundled locally by
 * esbuild (minified, with source maps), JSON logs kept a month, X-Ray tracing, sized from the catalog.
 */
export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, entry: CatalogEntry) {
    super(scope, entry.id, {
      entry: `${PROJECT_ROOT}${entry.entry}`,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: entry.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: entry.memoryMb,
      timeout: Duration.seconds(entry.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup: new LogGroup(scope, `${entry.id}Logs`, { retention: RetentionDays.ONE_MONTH }),
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "vidstep",
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: "node22",
        format: OutputFormat.CJS,
        // The Lambda runtime ships SDK v3, but bundling pins the version we tested against.
        externalModules: [],
      },
    });
  }

  /** Lets this function read a provider's secret and tells it where the secret is: one call, so they can't drift. */
  useProviderSecret(provider: string, secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment(`${provider.toUpperCase()}_SECRET_ARN`, secret.secretArn);
    return this;
  }

  /** Lets this function read the job sources in a bucket (ranged GETs, presigned GETs). */
  readSourcesFrom(bucket: IBucket): this {
    bucket.grantRead(this);
    return this;
  }

  /** Tells a function that starts or inspects jobs which state machine and bucket: grants stay with the caller. */
  useJobs(stateMachine: IStateMachine, bucket: IBucket): this {
    this.addEnvironment("STATE_MACHINE_ARN", stateMachine.stateMachineArn);
    this.addEnvironment("SOURCE_BUCKET", bucket.bucketName);
    return this;
  }
}
