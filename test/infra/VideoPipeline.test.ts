import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { VideoPipeline, VideoPipelinePropsError } from "../../infra/VideoPipeline";
import { existingBucketApp } from "./apps/existingBucketApp";

/** Bundling is esbuild's job and takes seconds per function; these tests are about the template. */
const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

function stackWith(props: ConstructorParameters<typeof VideoPipeline>[2]) {
  const stack = new Stack(new App({ context: NO_BUNDLING }), "Test");
  new VideoPipeline(stack, "Pipeline", props);
  return Template.fromStack(stack);
}

describe("VideoPipeline", () => {
  it("alarms when an execution fails, times out or is aborted", () => {
    // Act
    const template = stackWith({});

    // Assess
    for (const metric of ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: metric,
        Namespace: "AWS/States",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        Dimensions: [{ Name: "StateMachineArn", Value: { Ref: Match.stringLikeRegexp("StateMachine") } }],
      });
    }
  });

  it("records the result of executions that time out or are aborted", () => {
    // Act
    const template = stackWith({});

    // Assess
    const rules = template.findResources("AWS::Events::Rule", {
      Properties: { EventPattern: { source: ["aws.states"] } },
    });
    const [rule] = Object.values(rules);
    expect(rule?.Properties.EventPattern).toMatchObject({
      "detail-type": ["Step Functions Execution Status Change"],
      detail: {
        status: ["TIMED_OUT", "ABORTED"],
        stateMachineArn: [{ Ref: expect.stringMatching(/StateMachine/) }],
      },
    });
    const recorder = Object.entries(template.findResources("AWS::Lambda::Function")).find(([, fn]) =>
      String(fn.Properties.Description).startsWith(
        "Write the result and event of a job whose execution timed out",
      ),
    );
    expect(JSON.stringify(rule?.Properties.Targets)).toContain(recorder?.[0]);
    expect(recorder?.[1].Properties.Environment.Variables).toMatchObject({
      RESULTS_BUCKET: expect.anything(),
      EVENT_BUS_NAME: expect.anything(),
    });
  });

  it("deploys only the chosen providers and fails other providers' jobs with a reason", () => {
    // Act
    const template = stackWith({ providers: ["vidori"] });

    // Assess
    const descriptions = Object.values(template.findResources("AWS::Lambda::Function")).map(
      (fn) => (fn.Properties.Description as string | undefined) ?? "",
    );
    expect(descriptions.filter((d) => d.startsWith("Vidori")).length).toBe(2);
    expect(descriptions.some((d) => /^(api\.video|video\.dev|VIDIO|Viostream)/.test(d))).toBe(false);
    // Vidori's, and the key webhook callback URLs are signed with.
    template.resourceCountIs("AWS::SecretsManager::Secret", 2);
    const [machine] = Object.values(template.findResources("AWS::StepFunctions::StateMachine"));
    const definition = JSON.parse(machine?.Properties.DefinitionString as string);
    expect(definition.States["Plan api.video"]).toEqual({
      Type: "Fail",
      Error: "ProviderNotDeployedError",
      Cause: "this pipeline was deployed without apivideo; deployed: vidori",
    });
    expect(definition.States["Plan Vidori"].Type).toBe("Pass");
  });

  it("refuses props that cannot work, naming the prop and the value", () => {
    // Act
    const attempts = [
      () => stackWith({ providers: [] }),
      () => stackWith({ providers: ["youtube" as never] }),
      () => stackWith({ providers: ["vidio", "vidio"] }),
      () => stackWith({ providers: ["vidio"], secrets: { apivideo: "x" } }),
    ];

    // Assess
    const messages = attempts.map((attempt) => {
      try {
        attempt();
        return "no error";
      } catch (error) {
        expect(error).toBeInstanceOf(VideoPipelinePropsError);
        return (error as Error).message;
      }
    });
    expect(messages).toEqual([
      "providers must name at least one of apivideo, videodev, vidio, vidori, viostream (got [])",
      'providers: "youtube" is not a provider; use apivideo, videodev, vidio, vidori, viostream',
      'providers: "vidio" is listed twice',
      'secrets.apivideo: "apivideo" is not among providers (vidio)',
    ]);
  });

  it("synthesises a second app that brings its own bucket and secret", () => {
    // Prepare
    const { app, stack } = existingBucketApp(NO_BUNDLING);

    // Act
    const assembly = app.synth();
    const template = Template.fromStack(stack);

    // Assess
    expect(assembly.getStackByName("MediaTeam").template).toBeDefined();
    template.resourceCountIs("AWS::S3::Bucket", 0);
    // video.dev's (api.video's exists already), the callback signing key, api.video's webhook secret.
    template.resourceCountIs("AWS::SecretsManager::Secret", 3);
    const text = JSON.stringify(template.toJSON());
    expect(text).toContain(":s3:::media-team-masters");
    expect(text).toContain("secret:media-team/apivideo-??????");
  });
});
