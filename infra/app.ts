import { App } from "aws-cdk-lib";
import { VideoPipelineStack } from "./VideoPipelineStack";

const app = new App();
// `npx cdk deploy -c bucket=my-media-bucket` uses an existing bucket instead of creating one.
const existingBucketName = app.node.tryGetContext("bucket") as string | undefined;
new VideoPipelineStack(app, "Vidstep", {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "vidstep: video through third-party platforms on Step Functions",
  ...(existingBucketName ? { existingBucketName } : {}),
});
