/**
 * A platform team's own CDK app, as small as adopting vidstep gets: their existing media bucket, two
 * providers, one secret that already exists. `npx cdk synth --app "npx tsx test/infra/apps/existingBucketApp.ts"`.
 */
import { App, Stack } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { VideoPipeline } from "../../../infra/VideoPipeline";

/** Builds the app; tests pass context (e.g. to skip bundling) or an app of their own. */
export function existingBucketApp(
  context: Record<string, unknown> = {},
  app: App = new App({ context }),
): { app: App; stack: Stack } {
  const stack = new Stack(app, "MediaTeam", { env: { account: "123456789012", region: "eu-west-1" } });
  new VideoPipeline(stack, "Vidstep", {
    bucket: Bucket.fromBucketName(stack, "Media", "media-team-masters"),
    providers: ["apivideo", "videodev"],
    secrets: { apivideo: "media-team/apivideo" },
  });
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) existingBucketApp().app.synth();
