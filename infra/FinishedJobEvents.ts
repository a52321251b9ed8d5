import { Stack } from "aws-cdk-lib";
import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { CloudWatchLogGroup } from "aws-cdk-lib/aws-events-targets";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { JOB_EVENT_SOURCE } from "../functions/results/JobEvents";
import { acknowledge } from "./nagAcknowledgements";

/**
 * The bus finished jobs are announced on, with a rule that keeps every announcement in a log group. A bus
 * of its own lets consumers subscribe to finished jobs without seeing the account's other events.
 */
export class FinishedJobEvents extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, "Bus");
    new Rule(this, "ToLogs", {
      eventBus: this.bus,
      description: "Every finished job (succeeded or failed, with provider, step and reason), kept for audit",
      eventPattern: { source: [JOB_EVENT_SOURCE] },
      targets: [new CloudWatchLogGroup(new LogGroup(this, "Log", { retention: RetentionDays.ONE_YEAR }))],
    });
    // The log group target makes CDK add a custom resource, once per stack, that sets the log group's
    // resource policy; its findings are about that CDK-owned helper.
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith("AWS679f53fac002430cb0da5b7982bd2287")) {
        acknowledge(
          child,
          "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
          "CDK's AwsCustomResource handler; the managed policy only allows writing its own logs.",
        );
      }
      if (child.node.id.startsWith("EventsLogGroupPolicy")) {
        acknowledge(
          child,
          "AwsSolutions-IAM5[Resource::*]",
          "logs:PutResourcePolicy and logs:DeleteResourcePolicy have no resource-level permissions.",
        );
      }
    }
  }
}
