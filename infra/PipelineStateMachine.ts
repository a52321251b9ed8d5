import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { DefinitionBody, LogLevel, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { acknowledge } from "./nagAcknowledgements";

export interface PipelineStateMachineProps {
  /** The definition text, with `${...}` placeholders. */
  definition: string;
  substitutions: Record<string, string>;
  /** A fixed name, so other grants can name the machine's ARN without referencing it. */
  stateMachineName?: string;
  /** Where the alarms send their notifications; without it they only show in CloudWatch. */
  alarmTopic?: ITopic;
}

/**
 * The pipeline's state machine: the definition deployed as written, logging every event without execution
 * data (job specs and provider answers stay out of the logs), X-Ray tracing, and an alarm for each way an
 * execution can end badly.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    this.stateMachine = new StateMachine(this, "Resource", {
      ...(props.stateMachineName ? { stateMachineName: props.stateMachineName } : {}),
      // Inlined rather than uploaded as an asset, so the synthesised template shows the deployed workflow.
      definitionBody: DefinitionBody.fromString(props.definition),
      definitionSubstitutions: props.substitutions,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "Logs", { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    acknowledge(
      this.stateMachine,
      "AwsSolutions-IAM5[Resource::*]",
      "X-Ray tracing and CloudWatch Logs delivery actions have no resource-level permissions.",
    );
    const machine = this.stateMachine;
    this.alarms = [
      this.alarmOn("Failed", machine.metricFailed(), "a job failed: its failure record is in results/"),
      this.alarmOn("TimedOut", machine.metricTimedOut(), "a job ran past the execution timeout"),
      this.alarmOn("Aborted", machine.metricAborted(), "an execution was stopped before it finished"),
    ];
    if (props.alarmTopic) {
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(props.alarmTopic));
    }
  }

  private alarmOn(name: string, metric: Metric, meaning: string): Alarm {
    return new Alarm(this, `${name}Alarm`, {
      metric: metric.with({ period: Duration.minutes(5), statistic: "Sum" }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No executions means nothing went wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `vidstep: ${meaning}`,
    });
  }
}
