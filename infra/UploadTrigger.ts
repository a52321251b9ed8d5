import { Duration, Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { EventType, type IBucket } from "aws-cdk-lib/aws-s3";
import { LambdaDestination } from "aws-cdk-lib/aws-s3-notifications";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { ENTRY_FUNCTIONS } from "../functions/entryFunctions";
import { INBOX_PREFIX, REJECTION_SUFFIX } from "../functions/uploads/uploadKeys";
import { acknowledge, acknowledgeWildcard } from "./nagAcknowledgements";
import { PipelineFunction } from "./PipelineFunction";

export interface UploadTriggerProps {
  stateMachine: StateMachine;
  /** The pipeline's bucket, created by the stack or imported (`Bucket.fromBucketName`). */
  bucket: IBucket;
}

/**
 * Starts a job for every video (or job spec) created under `inbox/`: an S3 notification to a Lambda that
 * reads only the inbox, writes only rejection notes there, and starts executions.
 */
export class UploadTrigger extends Construct {
  readonly function: PipelineFunction;
  /** Where S3 events go that the trigger failed to handle after retries: nothing is lost. */
  readonly deadLetters: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    const { stateMachine, bucket } = props;
    const fn = new PipelineFunction(this, ENTRY_FUNCTIONS.startJobFromUpload);
    // DescribeExecution tells a repeated event from a conflicting one.
    fn.useJobs(stateMachine, bucket, ["states:DescribeExecution"]);
    stateMachine.grantStartExecution(fn);
    acknowledgeWildcard(
      fn,
      bucket.arnForObjects(`${INBOX_PREFIX}*`),
      "Uploads and job specs land anywhere under inbox/; read-only.",
    );
    acknowledgeWildcard(
      fn,
      bucket.arnForObjects(`${INBOX_PREFIX}*${REJECTION_SUFFIX}`),
      "Rejection notes are written next to the rejected upload, and only as *.errors.json.",
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:GetObject"],
        resources: [bucket.arnForObjects(`${INBOX_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:PutObject"],
        resources: [bucket.arnForObjects(`${INBOX_PREFIX}*${REJECTION_SUFFIX}`)],
      }),
    );
    // Listing finds the video next to a job spec; it also makes S3 answer a missing sidecar with 404, not 403.
    fn.allowListing(bucket);
    // S3 invokes asynchronously: after Lambda's own retries an event would be dropped, so it lands here.
    this.deadLetters = new Queue(this, "UndeliveredUploads", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      "AwsSolutions-SQS3",
      "This queue is the on-failure destination itself; its messages are kept 14 days and alarmed on.",
    );
    fn.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.deadLetterAlarm = new Alarm(this, "UndeliveredUploadsAlarm", {
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: "vidstep: an upload's S3 event could not start a job; the event is in the queue",
    });
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
      prefix: INBOX_PREFIX,
    });
    this.function = fn;
    // CDK's one handler per stack that applies bucket notifications (a custom resource).
    const notifications = Stack.of(this).node.tryFindChild(
      "BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
    );
    if (notifications) {
      acknowledge(
        notifications,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's bucket-notification custom resource; the managed policy only allows writing its own logs.",
      );
    }
  }
}
