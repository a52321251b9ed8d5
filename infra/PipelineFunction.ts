import { fileURLToPath } from "node:url";
import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Architecture, LoggingFormat, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct, IConstruct } from "constructs";
import { CALLBACK_PREFIX } from "../functions/callbacks/S3CallbackRegistry";
import type { PipelineFunction as CatalogEntry } from "../functions/catalog";
import { JOB_FILES_PREFIX } from "../functions/pipeline/jobFiles";
import { providerVariable } from "../functions/providers/core/ProviderDescriptor";
import { acknowledge, acknowledgeWildcard } from "./nagAcknowledgements";

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
    acknowledge(
      this,
      "AwsSolutions-L1",
      "nodejs22.x is the runtime the bundles are built for (esbuild target node22) and tested on; it is supported until 2027-04.",
    );
    acknowledge(
      this,
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      "AWSLambdaBasicExecutionRole only allows creating log streams and putting log events; the logs go to this function's own log group.",
    );
    acknowledge(
      this,
      "AwsSolutions-IAM5[Resource::*]",
      "Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (a template test checks nothing else does).",
    );
  }

  /** Lets this function read a provider's secret and tells it where the secret is: one call, so they can't drift. */
  useProviderSecret(provider: string, secret: ISecret): this {
    return this.useSecret(providerVariable(provider, "secretArn"), secret);
  }

  /** Lets this function read a secret and names it in `variable`: the ARN only, never the value. */
  useSecret(variable: string, secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment(variable, secret.secretArn);
    return this;
  }

  /** Lets this function file and read webhook callbacks under `callbacks/` and tells it the bucket. */
  fileCallbacksIn(bucket: IBucket): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:PutObject"],
        resources: [bucket.arnForObjects(`${CALLBACK_PREFIX}*`)],
      }),
    );
    // A callback not filed yet must read as 404, which means "not yet".
    this.allowListing(bucket);
    this.addEnvironment("CALLBACK_BUCKET", bucket.bucketName);
    acknowledgeWildcard(
      this,
      bucket.arnForObjects(`${CALLBACK_PREFIX}*`),
      "One callback file per waiting task under callbacks/<provider>/, named by job or provider id.",
    );
    return this;
  }

  /**
   * Lets this function complete the waiting tasks of a state machine. The ARN is passed as a string built
   * from the machine's fixed name: a reference would make the machine, its functions and this grant a cycle.
   */
  completeTasksOf(stateMachineArn: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
        resources: [stateMachineArn],
      }),
    );
    return this;
  }

  /** Lets this function write `results/*` and announce jobs on the bus, and tells it where both are. */
  recordResultsIn(bucket: IBucket, bus: IEventBus): this {
    // PutObject alone: grantPut would add tagging, retention and legal-hold rights nothing here uses.
    this.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:PutObject"], resources: [bucket.arnForObjects("results/*")] }),
    );
    bus.grantPutEventsTo(this);
    acknowledgeWildcard(
      this,
      bucket.arnForObjects("results/*"),
      "One result file per job under results/, named by job id; PutObject only.",
    );
    this.addEnvironment("RESULTS_BUCKET", bucket.bucketName);
    this.addEnvironment("EVENT_BUS_NAME", bus.eventBusName);
    return this;
  }

  /**
   * Lets this function keep and read the lists that grow with a job (sources, per-source outcomes) under
   * `jobs/` and tells it the bucket: Step Functions states are capped at 256 KiB, so those live in S3.
   */
  keepJobFilesIn(bucket: IBucket): this {
    this.allowJobFiles(bucket);
    this.addEnvironment("JOB_FILES_BUCKET", bucket.bucketName);
    return this;
  }

  /** Get and Put on `jobs/*` only: job files are written once under a key that names their content. */
  private allowJobFiles(bucket: IBucket): void {
    const files = bucket.arnForObjects(`${JOB_FILES_PREFIX}*`);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:GetObject", "s3:PutObject"], resources: [files] }),
    );
    acknowledgeWildcard(
      this,
      files,
      "One folder of job files per job under jobs/<jobId>/, each named by its content; Get and Put only.",
    );
  }

  /** Lets this function read the job sources in a bucket (ranged GETs, presigned GETs). */
  readSourcesFrom(bucket: IBucket): this {
    // GetObject serves GETs and HEADs, GetObjectVersion the same pinned to the version an upload event
    // named; ListBucket turns a missing key into a 404 rather than a 403, so the error names the missing
    // source. grantRead would add GetBucket* and List* on top.
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [bucket.arnForObjects("*")],
      }),
    );
    this.allowListing(bucket);
    acknowledgeWildcard(
      this,
      bucket.arnForObjects("*"),
      "A job's sources can be any object of the pipeline's bucket (inbox/ uploads, keys named in API jobs); read-only.",
    );
    return this;
  }

  /**
   * Lets a function that starts or inspects jobs run `actions` on the state machine's executions and tells
   * it which machine and bucket. Starting, and reading objects, are granted by the caller: they differ.
   */
  useJobs(stateMachine: IStateMachine, bucket: IBucket, actions: readonly string[]): this {
    const executions = executionsOf(this, stateMachine);
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [executions] }));
    acknowledgeWildcard(
      this,
      executions,
      "A job's executions are named at run time (job id, redrive attempts, uploads); only this pipeline's.",
    );
    this.addEnvironment("STATE_MACHINE_ARN", stateMachine.stateMachineArn);
    this.addEnvironment("SOURCE_BUCKET", bucket.bucketName);
    // A large job's sources are written to, and read back from, jobs/ of the same bucket.
    this.allowJobFiles(bucket);
    return this;
  }

  /** Lets this function list the bucket: without it S3 answers a missing key with 403, not 404. */
  allowListing(bucket: IBucket): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }));
    return this;
  }
}

/**
 * Lets a state machine invoke exactly these functions. `grantInvoke` would also allow `<arn>:*` (every
 * version and alias); the definitions invoke unqualified ARNs, so the wildcard would grant nothing used.
 */
export function allowInvoking(grantee: IGrantable, functions: Iterable<IFunction>): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["lambda:InvokeFunction"],
      resources: [...functions].map((fn) => fn.functionArn),
    }),
  );
}

/** The ARN pattern of every execution of a state machine, for Describe/GetExecutionHistory grants. */
export function executionsOf(scope: IConstruct, stateMachine: IStateMachine): string {
  const stack = Stack.of(scope);
  const name = stack.splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
  return stack.formatArn({
    service: "states",
    resource: "execution",
    resourceName: `${name}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
