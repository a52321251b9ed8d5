import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { VideoPipeline, VideoPipelinePropsError } from "../../infra/VideoPipeline";

function synth(webhookBaseUrl?: string) {
  const stack = new Stack(new App({ context: { "aws:cdk:bundling-stacks": [] } }), "Test", {
    env: { account: "123456789012", region: "eu-west-1" },
  });
  new VideoPipeline(stack, "Pipeline", webhookBaseUrl ? { webhookBaseUrl } : {});
  return Template.fromStack(stack).toJSON() as {
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
    // It verifies api.video's signatures but never holds api.video's API key.
    expect(receiver.env.APIVIDEO_SECRET_ARN).toBeUndefined();
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
