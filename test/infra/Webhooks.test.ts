import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import type { Provider } from "../../functions/pipeline/jobSpec";
import { VideoPipeline, VideoPipelinePropsError } from "../../infra/VideoPipeline";

function synthTemplate(webhookBaseUrl?: string, providers?: Provider[]) {
  const stack = new Stack(new App({ context: { "aws:cdk:bundling-stacks": [] } }), "Test", {
    env: { account: "123456789012", region: "eu-west-1" },
  });
  new VideoPipeline(stack, "Pipeline", {
    ...(webhookBaseUrl ? { webhookBaseUrl } : {}),
    ...(providers ? { providers } : {}),
  });
  return Template.fromStack(stack);
}

function synth(webhookBaseUrl?: string) {
  return synthTemplate(webhookBaseUrl).toJSON() as {
    // biome-ignore lint/suspicious/noExplicitAny: a synthesised template is untyped JSON, read by path here.
    Resources: Record<string, { Type: string; Properties: any }>;
  };
}

function functionNamed(template: ReturnType<typeof synth>, description: RegExp) {
  const [id, fn] = Object.entries(template.Resources).find(
    ([, r]) => r.Type === "AWS::Lambda::Function" && description.test(r.Properties.Description ?? ""),
  ) ?? ["", undefined];
  const role = fn?.Properties.Role["Fn::GetAtt"][0];
  const statements = Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::IAM::Policy" && JSON.stringify(r.Properties.Roles).includes(role))
    .flatMap(
      (r) => r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
  return { id, env: (fn?.Properties.Environment?.Variables ?? {}) as Record<string, unknown>, statements };
}

describe("webhooks on AWS", () => {
  it("with a public URL: waits use webhooks, video.dev gets signed callback URLs, the receiver completes tasks", () => {
    // Act
    const template = synth("https://media-api.example.com/");

    // Assess
    const machine = Object.values(template.Resources).find(
      (r) => r.Type === "AWS::StepFunctions::StateMachine",
    );
    expect(machine?.Properties.DefinitionSubstitutions.WebhooksEnabled).toBe("true");
    const name = machine?.Properties.StateMachineName as string;
    const importMedia = functionNamed(template, /^video\.dev: import/);
    expect(importMedia.env.WEBHOOK_BASE_URL).toBe("https://media-api.example.com/webhooks/videodev");
    const signingKey = Object.entries(template.Resources).find(
      ([, r]) =>
        r.Type === "AWS::SecretsManager::Secret" && /callback URLs/.test(r.Properties.Description ?? ""),
    )?.[0];
    expect(importMedia.env.CALLBACK_SIGNING_SECRET_ARN).toEqual({ Ref: signingKey });
    const receiver = functionNamed(template, /POST \/webhooks\/\{provider\}/);
    expect(receiver.env).toMatchObject({
      CALLBACK_BUCKET: expect.anything(),
      APIVIDEO_WEBHOOK_SECRET_ARN: expect.anything(),
    });
    const completes = receiver.statements.find((s) => [s.Action].flat().includes("states:SendTaskSuccess"));
    expect(JSON.stringify(completes?.Resource)).toContain(`:stateMachine:${name}`);
    const registers = functionNamed(template, /^api\.video: file the encoding wait/);
    expect(JSON.stringify(registers.statements)).toContain("/callbacks/*");
    expect(JSON.stringify(registers.statements)).toContain("states:SendTaskSuccess");
    const route = Object.values(template.Resources).find(
      (r) => r.Type === "AWS::ApiGatewayV2::Route" && r.Properties.RouteKey === "POST /webhooks/{provider}",
    );
    expect(route?.Properties.AuthorizationType).toBe("NONE");
    expect(JSON.stringify(route?.Properties.Target)).toContain("Webhook");
  });

  it("lets the receiver read exactly the API keys of the deployed providers that call back, to confirm events", () => {
    // Prepare
    const template = synthTemplate("https://media-api.example.com", ["videodev", "vidio"]);
    const secretOf = (name: string) =>
      Object.keys(
        template.findResources("AWS::SecretsManager::Secret", {
          Properties: { Description: Match.stringLikeRegexp(`^${name} credentials`) },
        }),
      )[0];
    const receiverRole = Object.values(
      template.findResources("AWS::Lambda::Function", {
        Properties: { Description: Match.stringLikeRegexp("POST /webhooks") },
      }),
    )[0]?.Properties.Role["Fn::GetAtt"][0];
    const receiverPolicies = template.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: receiverRole }] },
    });

    // Act
    const secretsRead = Object.values(receiverPolicies).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((statement) => [statement.Action].flat().includes("secretsmanager:GetSecretValue"))
        .map((statement) => statement.Resource),
    );

    // Assess: video.dev's key (its callbacks are unsigned), the callback signing key, and nothing else.
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: receiverRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: { Ref: secretOf("video.dev") },
          }),
        ]),
      },
    });
    expect(secretsRead).toHaveLength(2);
    expect(secretsRead).not.toContainEqual({ Ref: secretOf("VIDIO") });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Description: Match.stringLikeRegexp("POST /webhooks"),
      Environment: {
        Variables: Match.objectLike({
          VIDEODEV_SECRET_ARN: { Ref: secretOf("video.dev") },
          APIVIDEO_SECRET_ARN: Match.absent(),
        }),
      },
    });
  });

  it("without a public URL: every wait polls and no callback URL is handed out", () => {
    // Act
    const template = synth();

    // Assess
    const machine = Object.values(template.Resources).find(
      (r) => r.Type === "AWS::StepFunctions::StateMachine",
    );
    expect(machine?.Properties.DefinitionSubstitutions.WebhooksEnabled).toBe("false");
    expect(functionNamed(template, /^video\.dev: import/).env.WEBHOOK_BASE_URL).toBeUndefined();
  });

  it("refuses a webhook URL providers could not call", () => {
    // Act
    const attempt = () => synth("http://localhost:3000");

    // Assess
    expect(attempt).toThrow(VideoPipelinePropsError);
    expect(attempt).toThrow(
      'webhookBaseUrl must be an https:// URL providers can reach (got "http://localhost:3000")',
    );
  });
});
