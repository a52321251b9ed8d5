import { App } from "aws-cdk-lib";
import { VideoPipelineStack } from "./VideoPipelineStack";

const app = new App();
new VideoPipelineStack(app, "Vidstep", {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "vidstep: video through third-party platforms on Step Functions",
});
