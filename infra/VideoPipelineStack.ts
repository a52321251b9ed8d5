import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { VideoPipeline, type VideoPipelineProps } from "./VideoPipeline";

export interface VideoPipelineStackProps extends StackProps {
  /**
   * An existing bucket to take sources from and start jobs on (`inbox/`), instead of creating one; also
   * read from the context value `existingBucketName` (`cdk deploy -c existingBucketName=...`).
   */
  existingBucketName?: string;
  pipeline?: Omit<VideoPipelineProps, "bucket">;
}

/** vidstep's own stack: the reusable `VideoPipeline` construct and the outputs a user needs. */
export class VideoPipelineStack extends Stack {
  readonly pipeline: VideoPipeline;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps = {}) {
    super(scope, id, props);
    const existingBucketName =
      props.existingBucketName ?? (this.node.tryGetContext("existingBucketName") as string | undefined);
    const bucket = existingBucketName
      ? Bucket.fromBucketName(this, "ExistingBucket", existingBucketName)
      : undefined;
    // `-c webhookBaseUrl=https://...`: the API's URL (an output of the first deploy) or a custom domain.
    const webhookBaseUrl = this.node.tryGetContext("webhookBaseUrl") as string | undefined;
    this.pipeline = new VideoPipeline(this, "Pipeline", {
      ...(webhookBaseUrl ? { webhookBaseUrl } : {}),
      ...props.pipeline,
      ...(bucket ? { bucket } : {}),
    });

    new CfnOutput(this, "BucketName", { value: this.pipeline.bucket.bucketName });
    new CfnOutput(this, "StateMachineArn", { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, "JobEventBusName", { value: this.pipeline.jobEvents.eventBusName });
    new CfnOutput(this, "ApiUrl", { value: this.pipeline.jobsApi.api.apiEndpoint });
  }
}
