import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { CloudWatchLogGroup } from "aws-cdk-lib/aws-events-targets";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { JOB_EVENT_SOURCE } from "../functions/results/JobEvents";

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
  }
}
