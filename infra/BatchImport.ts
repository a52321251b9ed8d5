import { readFileSync } from "node:fs";
import { ArnFormat, Duration, Names, Stack } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { StepFunctionsStartExecution } from "aws-cdk-lib/aws-scheduler-targets";
import { DefinitionBody, type IStateMachine, LogLevel, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { arnPlaceholder } from "../functions/catalog";
import { IMPORT_FUNCTIONS } from "../functions/imports/importFunctions";
import { IMPORTS_PREFIX } from "../functions/imports/manifestFiles";
import {
  BATCH_IMPORT_DEFINITION_PATH,
  BUCKET_NAME_PLACEHOLDER,
  PIPELINE_ARN_PLACEHOLDER,
} from "../statemachines/batchImportDefinition";
import { acknowledge, acknowledgeWildcard } from "./nagAcknowledgements";
import { allowInvoking, executionsOf, PipelineFunction } from "./PipelineFunction";

export interface BatchImportProps {
  /** The bucket whose `imports/` prefix receives manifests; nothing outside that prefix is granted. */
  bucket: IBucket;
  /** The pipeline each job runs through. */
  pipeline: IStateMachine;
  /** When to look for new manifests; default every 15 minutes. */
  schedule?: ScheduleExpression;
}

/** The managed rule Step Functions uses to learn that a `.sync` child execution ended. */
const SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

/**
 * Scheduled batch imports: an EventBridge Scheduler schedule starts the batch import state machine
 * (`statemachines/batchImport.asl.json`), which claims manifests under `imports/`, plans them, runs every job
 * through the pipeline on a Distributed Map, and writes a report per manifest.
 */
export class BatchImport extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedule: Schedule;
  readonly functions: Map<string, PipelineFunction>;

  constructor(scope: Construct, id: string, props: BatchImportProps) {
    super(scope, id);
    const { bucket, pipeline } = props;
    const stack = Stack.of(this);
    const imports = `${IMPORTS_PREFIX}*`;

    this.functions = new Map();
    const substitutions: Record<string, string> = {
      [PIPELINE_ARN_PLACEHOLDER]: pipeline.stateMachineArn,
      [BUCKET_NAME_PLACEHOLDER]: bucket.bucketName,
    };
    for (const entry of IMPORT_FUNCTIONS) {
      // Planning writes a large job's sources to a job file; the report reads a large result's list back.
      const fn = new PipelineFunction(this, entry).keepJobFilesIn(bucket);
      this.functions.set(entry.id, fn);
      substitutions[arnPlaceholder(entry.id as never)] = fn.functionArn;
    }
    const listImports = new PolicyStatement({
      actions: ["s3:ListBucket"],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { "s3:prefix": [IMPORTS_PREFIX, imports] } },
    });
    const readImports = new PolicyStatement({
      actions: ["s3:GetObject"],
      resources: [bucket.arnForObjects(imports)],
    });
    const writeImports = new PolicyStatement({
      actions: ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      resources: [bucket.arnForObjects(imports)],
    });
    for (const fn of this.functions.values()) {
      for (const statement of [listImports, readImports, writeImports]) fn.addToRolePolicy(statement);
    }

    // Named from the stack, so the machine can be granted to start its own Map Run children without a cycle.
    // Unique per construct (two pipelines in one stack) and within Step Functions' 80 characters.
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: "-" });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName,
      definitionBody: DefinitionBody.fromString(readFileSync(BATCH_IMPORT_DEFINITION_PATH, "utf8")),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "Logs", { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        // Execution data holds job specs and provider answers; keep it out of the logs.
        includeExecutionData: false,
      },
    });
    allowInvoking(this.stateMachine, this.functions.values());
    const self = stack.formatArn({
      service: "states",
      resource: "stateMachine",
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const selfExecutions = stack.formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${stateMachineName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const pipelineExecutions = executionsOf(this, pipeline);
    for (const statement of [
      // The Distributed Map: its child executions, and the items and results it reads and writes.
      new PolicyStatement({ actions: ["states:StartExecution"], resources: [self] }),
      new PolicyStatement({
        actions: ["states:DescribeExecution", "states:StopExecution"],
        resources: [selfExecutions],
      }),
      listImports,
      readImports,
      new PolicyStatement({
        actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        resources: [bucket.arnForObjects(imports)],
      }),
      // startExecution.sync:2 on the pipeline, and the managed rule it waits on.
      new PolicyStatement({ actions: ["states:StartExecution"], resources: [pipeline.stateMachineArn] }),
      new PolicyStatement({
        actions: ["states:DescribeExecution", "states:StopExecution"],
        resources: [pipelineExecutions],
      }),
      new PolicyStatement({
        actions: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        resources: [stack.formatArn({ service: "events", resource: "rule", resourceName: SYNC_RULE })],
      }),
    ]) {
      this.stateMachine.addToRolePolicy(statement);
    }
    const importsReason =
      "Manifests, their work files and reports all live under imports/; nothing outside it.";
    for (const fn of this.functions.values())
      acknowledgeWildcard(fn, bucket.arnForObjects(imports), importsReason);
    acknowledgeWildcard(this.stateMachine, bucket.arnForObjects(imports), importsReason);
    acknowledgeWildcard(
      this.stateMachine,
      selfExecutions,
      "The Distributed Map's child executions are named by Step Functions at run time.",
    );
    acknowledgeWildcard(
      this.stateMachine,
      pipelineExecutions,
      "startExecution.sync:2 describes and stops the pipeline executions it starts, named by job id at run time.",
    );
    acknowledge(
      this.stateMachine,
      "AwsSolutions-IAM5[Resource::*]",
      "X-Ray tracing and CloudWatch Logs delivery actions have no resource-level permissions.",
    );

    this.schedule = new Schedule(this, "Schedule", {
      description: "vidstep: look for new manifests under imports/ and import them",
      schedule: props.schedule ?? ScheduleExpression.rate(Duration.minutes(15)),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({}),
      }),
    });
  }
}
