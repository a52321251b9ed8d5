import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../../functions/catalog";
import { PROVIDER_NAMES, PROVIDERS } from "../../functions/pipeline/jobSpec";
import { VideoPipelineStack } from "../../infra/VideoPipelineStack";
import { PIPELINE_DEFINITION_PATH } from "../../statemachines/pipelineDefinition";

let template: Template;

beforeAll(() => {
  // Bundling is esbuild's job and takes seconds per function; these tests are about the template.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  template = Template.fromStack(new VideoPipelineStack(app, "Test"));
});

function resourceIdOf(type: string, props: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as string;
}

describe("VideoPipelineStack", () => {
  it("deploys the statemachines/ file itself, with every function's ARN substituted", () => {
    // Prepare
    const file = readFileSync(PIPELINE_DEFINITION_PATH, "utf8");
    const [machine] = Object.values(template.findResources("AWS::StepFunctions::StateMachine"));

    // Act
    const props = machine?.Properties as {
      DefinitionString: unknown;
      DefinitionSubstitutions: Record<string, unknown>;
    };

    // Assess: the definition is the file, byte for byte, and each placeholder points at its function.
    expect(props.DefinitionString).toBe(file);
    for (const { id } of PIPELINE_FUNCTIONS) {
      const fnId = resourceIdOf("AWS::Lambda::Function", {
        Description: Match.stringLikeRegexp(escapeRegExp(entryOf(id))),
      });
      expect(props.DefinitionSubstitutions[arnPlaceholder(id)]).toEqual({ "Fn::GetAtt": [fnId, "Arn"] });
    }
  });

  it("runs every handler on Node.js 22, arm64, traced, sized from the catalog", () => {
    for (const entry of PIPELINE_FUNCTIONS) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Description: entry.description,
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        MemorySize: entry.memoryMb,
        Timeout: entry.timeoutSeconds,
        TracingConfig: { Mode: "Active" },
        LoggingConfig: Match.objectLike({ LogFormat: "JSON" }),
      });
    }
  });

  it("logs and traces the state machine without execution data", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: false }),
    });
  });

  it("gives each provider's functions that provider's secret and no other", () => {
    // Prepare: the secret of each provider, found by the name in its description.
    const secrets = Object.fromEntries(
      PROVIDERS.map((provider) => [
        provider,
        resourceIdOf("AWS::SecretsManager::Secret", {
          Description: Match.stringLikeRegexp(`^${escapeRegExp(PROVIDER_NAMES[provider])} credentials`),
        }),
      ]),
    );
    const functions = template.findResources("AWS::Lambda::Function");

    // Act + Assess
    for (const entry of PIPELINE_FUNCTIONS) {
      const fn = Object.values(functions).find((f) => f.Properties.Description === entry.description);
      const env = (fn?.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      const own = "provider" in entry ? entry.provider : undefined;
      for (const provider of PROVIDERS) {
        const variable = env[`${provider.toUpperCase()}_SECRET_ARN`];
        expect(variable, `${entry.id} ${provider}`).toEqual(
          own === provider ? { Ref: secrets[provider] } : undefined,
        );
      }
    }
  });

  it("lets only the functions that read sources read the bucket", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    for (const entry of PIPELINE_FUNCTIONS) {
      const fnId = resourceIdOf("AWS::Lambda::Function", { Description: entry.description });
      const roleRef = template.toJSON().Resources[fnId].Properties.Role["Fn::GetAtt"][0];
      const statements = Object.values(policies)
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleRef))
        .flatMap(
          (policy) =>
            policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
        );
      // Reading sources means GetObject on every key (`<bucket>/*`), not on one prefix like callbacks/.
      const readsBucket = statements.some(
        (statement) =>
          [statement.Action].flat().includes("s3:GetObject") &&
          JSON.stringify(statement.Resource).endsWith('"/*"]]}'),
      );
      expect(readsBucket, entry.id).toBe("readsSources" in entry && entry.readsSources === true);
    }
  });

  it("uses Resource * only for actions that have no resource-level permissions", () => {
    // Prepare
    const allowedOnEverything = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
      "logs:DeleteResourcePolicy",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
    ];

    // Act
    const onEverything = Object.values(template.findResources("AWS::IAM::Policy"))
      .flatMap(
        (policy) =>
          policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      )
      .filter((statement) => statement.Resource === "*")
      .flatMap((statement) => [statement.Action].flat());

    // Assess
    expect(onEverything.filter((action) => !allowedOnEverything.includes(action))).toEqual([]);
  });

  it("keeps secrets out of environment variables and the template", () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/API_KEY"/);
    expect(text).not.toContain('"SecretString"');
  });

  it("keeps the source bucket private, encrypted and TLS-only", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({}),
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      }),
    });
  });

  it("announces finished jobs on its own bus, with a rule that keeps them", () => {
    // Prepare
    const busId = Object.keys(template.findResources("AWS::Events::EventBus"))[0];

    // Act
    const recorder = resourceIdOf("AWS::Lambda::Function", { Description: entryOf("RecordResult") });

    // Assess
    template.hasResourceProperties("AWS::Events::Rule", {
      EventBusName: { Ref: busId },
      EventPattern: { source: ["vidstep"] },
      Targets: Match.arrayWith([Match.objectLike({ Arn: Match.anyValue() })]),
    });
    const fn = template.toJSON().Resources[recorder].Properties;
    expect(fn.Environment.Variables).toMatchObject({
      EVENT_BUS_NAME: { Ref: busId },
      RESULTS_BUCKET: expect.anything(),
    });
    const statements = Object.values(
      template.findResources("AWS::IAM::Policy", {
        Properties: { Roles: [{ Ref: fn.Role["Fn::GetAtt"][0] }] },
      }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: "events:PutEvents", Resource: { "Fn::GetAtt": [busId, "Arn"] } }),
        expect.objectContaining({
          Action: "s3:PutObject",
          Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [expect.any(String), "Arn"] }, "/results/*"]] },
        }),
      ]),
    );
    // It reads only job files (a large result's list), never sources.
    const reads = statements.filter((statement) => [statement.Action].flat().includes("s3:GetObject"));
    expect(JSON.stringify(reads.map((statement) => statement.Resource))).not.toMatch(/"\/\*"/);
  });

  it("lets every pipeline function keep job files under jobs/ only, and tells it the bucket", () => {
    for (const { id } of PIPELINE_FUNCTIONS) {
      // Prepare
      const fnId = resourceIdOf("AWS::Lambda::Function", { Description: entryOf(id) });
      const fn = template.toJSON().Resources[fnId].Properties;

      // Act
      const statements = Object.values(
        template.findResources("AWS::IAM::Policy", {
          Properties: { Roles: [{ Ref: fn.Role["Fn::GetAtt"][0] }] },
        }),
      ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

      // Assess
      expect(fn.Environment.Variables.JOB_FILES_BUCKET, id).toEqual({ Ref: expect.any(String) });
      expect(statements, id).toContainEqual({
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [expect.any(String), "Arn"] }, "/jobs/*"]] },
      });
      const writes = statements.filter((statement) => [statement.Action].flat().includes("s3:PutObject"));
      const written = JSON.stringify(writes.map((statement) => statement.Resource));
      expect(written.replace(/\/(jobs|results|callbacks)\/\*/g, ""), id).not.toMatch(/\/\*/);
    }
  });

  it("imports manifests on a schedule through the batch import state machine", () => {
    // Act
    const schedules = template.findResources("AWS::Scheduler::Schedule");

    // Assess
    const [schedule] = Object.values(schedules);
    expect(Object.keys(schedules)).toHaveLength(1);
    expect(schedule?.Properties.ScheduleExpression).toBe("rate(15 minutes)");
    expect(JSON.stringify(schedule?.Properties.Target.Arn)).toContain("BatchImportStateMachine");
  });

  it("lets the state machine invoke exactly the pipeline's functions", () => {
    const policies = template.findResources("AWS::IAM::Policy", {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp("PipelineStateMachineRole") }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const invoke = statements.filter((statement) =>
      [statement.Action].flat().includes("lambda:InvokeFunction"),
    );
    const resources = JSON.stringify(invoke.map((statement) => statement.Resource));
    for (const { id } of PIPELINE_FUNCTIONS) expect(resources).toContain(id);
    expect(invoke.every((statement) => JSON.stringify(statement.Resource) !== '"*"')).toBe(true);
    // Unqualified ARNs only: no version or alias wildcard.
    expect(resources).not.toMatch(/:\*/);
  });
});

function entryOf(id: string): string {
  return PIPELINE_FUNCTIONS.find((entry) => entry.id === id)?.description ?? id;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
