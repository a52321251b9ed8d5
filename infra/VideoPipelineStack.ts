import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { VideoPipeline, type VideoPipelineProps } from "./VideoPipeline";

export interface VideoPipelineStackProps extends StackProps {
  /** Use this existing bucket (by name) for sources and results instead of creating one. */
  existingBucketName?: string;
  pipeline?: Omit<VideoPipelineProps, "bucket">;
}

/** vidstep's own stack: the reusable `VideoPipeline` construct and the outputs a user needs. */
export class VideoPipelineStack extends Stack {
  readonly pipeline: VideoPipeline;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps = {}) {
    super(scope, id, props);
    const bucket = props.existingBucketName
      ? Bucket.fromBucketName(this, "ExistingBucket", props.existingBucketName)
      : undefined;
    this.pipeline = new VideoPipeline(this, "Pipeline", { ...props.pipeline, ...(bucket ? { bucket } : {}) });

    new CfnOutput(this, "BucketName", { value: this.pipeline.bucket.bucketName });
    new CfnOutput(this, "StateMachineArn", { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, "JobEventBusName", { value: this.pipeline.jobEvents.eventBusName });
  }
}
