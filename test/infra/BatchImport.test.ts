import { readFileSync } from "node:fs";
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { DefinitionBody, Pass, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { beforeAll, describe, expect, it } from "vitest";
import { IMPORT_FUNCTIONS } from "../../functions/imports/importFunctions";
import { BatchImport } from "../../infra/BatchImport";
import { BATCH_IMPORT_DEFINITION_PATH } from "../../statemachines/batchImportDefinition";

let template: Template;

beforeAll(() => {
  // Bundling is esbuild's job and takes seconds per function; these tests are about the template.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const stack = new Stack(app, "Test");
  const bucket = new Bucket(stack, "Sources");
  const pipeline = new StateMachine(stack, "Pipeline", {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, "Nothing")),
  });
  new BatchImport(stack, "BatchImport", { bucket, pipeline });
  template = Template.fromStack(stack);
});

/** Every statement of every policy in the template. */
function statements(): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  return Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
    (policy) => (policy.Properties as { PolicyDocument: { Statement: never[] } }).PolicyDocument.Statement,
  );
}

function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe("BatchImport", () => {
  it("starts the batch import state machine every 15 minutes with EventBridge Scheduler", () => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "rate(15 minutes)",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: { Ref: Match.stringLikeRegexp("BatchImportStateMachine") } },
    });
  });

  it("deploys statemachines/batchImport.asl.json itself, with logging without execution data and tracing", () => {
    // Prepare
    const file = readFileSync(BATCH_IMPORT_DEFINITION_PATH, "utf8");

    // Act
    const machines = template.findResources("AWS::StepFunctions::StateMachine", {
      Properties: { StateMachineName: Match.stringLikeRegexp("^Test-BatchImport-") },
    });

    // Assess
    const props = Object.values(machines)[0]?.Properties as Record<string, unknown>;
    expect(props.DefinitionString).toBe(file);
    expect(Object.keys(props.DefinitionSubstitutions as object).sort()).toEqual(
      [
        "BucketName",
        "PipelineStateMachineArn",
        ...IMPORT_FUNCTIONS.map(({ id }) => `${id}FunctionArn`),
      ].sort(),
    );
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration).toMatchObject({ Level: "ALL", IncludeExecutionData: false });
  });

  it("creates one function per entry of the import catalog", () => {
    for (const { description } of IMPORT_FUNCTIONS) {
      template.hasResourceProperties("AWS::Lambda::Function", { Description: description });
    }
  });

  it("lets the state machine run the pipeline synchronously and its own Map Run children", () => {
    // Act
    const all = statements();

    // Assess
    const starts = all.filter((statement) => actionsOf(statement).includes("states:StartExecution"));
    expect(JSON.stringify(starts)).toMatch(/PipelineC81E6A5F|Pipeline/);
    expect(JSON.stringify(starts)).toMatch(/stateMachine:Test-BatchImport-[A-Za-z0-9]+/);
    const rule = all.find((statement) => actionsOf(statement).includes("events:PutRule"));
    expect(actionsOf(rule as never).sort()).toEqual([
      "events:DescribeRule",
      "events:PutRule",
      "events:PutTargets",
    ]);
    expect(JSON.stringify(rule?.Resource)).toMatch(
      /rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule/,
    );
    const describes = all.filter((statement) => actionsOf(statement).includes("states:DescribeExecution"));
    expect(describes.length).toBeGreaterThanOrEqual(2);
  });

  it("grants S3 only under imports/ and jobs/: objects by key pattern, listing by prefix", () => {
    // Act
    const s3 = statements().filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith("s3:")),
    );

    // Assess
    expect(s3.length).toBeGreaterThan(0);
    for (const statement of s3) {
      if (actionsOf(statement).includes("s3:ListBucket")) {
        expect(statement.Condition).toEqual({ StringLike: { "s3:prefix": ["imports/", "imports/*"] } });
      } else {
        // jobs/: a large planned job's sources file, and a large result's list read back for the report.
        expect(JSON.stringify(statement.Resource)).toMatch(/\/(imports|jobs)\/\*"/);
      }
      expect(actionsOf(statement).some((action) => action.includes("*"))).toBe(false);
    }
  });
});
