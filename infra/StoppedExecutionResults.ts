import type { IEventBus } from "aws-cdk-lib/aws-events";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { ENTRY_FUNCTIONS } from "../functions/entryFunctions";
import { PipelineFunction } from "./PipelineFunction";

export interface StoppedExecutionResultsProps {
  stateMachine: IStateMachine;
  bucket: IBucket;
  jobEvents: IEventBus;
}

/**
 * Results for executions that stop without reaching the definition's own recording (a timeout, an abort):
 * Step Functions' status-change event triggers a function that writes the result and announces the job.
 */
export class StoppedExecutionResults extends Construct {
  readonly recorder: PipelineFunction;

  constructor(scope: Construct, id: string, props: StoppedExecutionResultsProps) {
    super(scope, id);
    this.recorder = new PipelineFunction(this, ENTRY_FUNCTIONS.recordStoppedExecution).recordResultsIn(
      props.bucket,
      props.jobEvents,
    );
    new Rule(this, "TimedOutOrAborted", {
      description: "vidstep: a pipeline execution timed out or was aborted; record its job's result",
      eventPattern: {
        source: ["aws.states"],
        detailType: ["Step Functions Execution Status Change"],
        detail: { status: ["TIMED_OUT", "ABORTED"], stateMachineArn: [props.stateMachine.stateMachineArn] },
      },
      targets: [new LambdaFunction(this.recorder, { retryAttempts: 8 })],
    });
  }
}
