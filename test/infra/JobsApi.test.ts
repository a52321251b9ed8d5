import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTRY_FUNCTIONS } from "../../functions/entryFunctions";
import { VideoPipelineStack } from "../../infra/VideoPipelineStack";

let template: Template;
let imported: Template;

/** Bundling is esbuild's job and takes seconds per function; these tests are about the template. */
const noBundling = () => new App({ context: { "aws:cdk:bundling-stacks": [] } });

beforeAll(() => {
  const stack = new VideoPipelineStack(noBundling(), "Test");
  template = Template.fromStack(stack);
  imported = Template.fromStack(
    new VideoPipelineStack(noBundling(), "Imported", { existingBucketName: "their-videos" }),
  );
});

/** The IAM statements of the role of the function with `description`. */
function statementsOf(t: Template, description: string) {
  const functions = t.findResources("AWS::Lambda::Function", { Properties: { Description: description } });
  const [fn] = Object.values(functions);
  const role = fn?.Properties.Role["Fn::GetAtt"][0] as string;
  return Object.values(t.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
    .flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as {
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
}

function actionsOf(statements: { Action: string | string[] }[]): string[] {
  return statements.flatMap((statement) => [statement.Action].flat()).sort();
}

describe("JobsApi", () => {
  it("serves the job routes with IAM auth and the webhook route without", () => {
    for (const route of ["POST /jobs", "GET /jobs/{id}", "POST /jobs/{id}/redrive"]) {
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: route,
        AuthorizationType: "AWS_IAM",
      });
    }
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "POST /webhooks/{provider}",
      AuthorizationType: "NONE",
    });
    expect(Object.keys(template.findResources("AWS::ApiGatewayV2::Route"))).toHaveLength(4);
  });

  it("logs every request on the stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it("gives each route only what it needs", () => {
    const post = actionsOf(statementsOf(template, ENTRY_FUNCTIONS.postJob.description));
    const get = statementsOf(template, ENTRY_FUNCTIONS.getJob.description);
    const redrive = actionsOf(statementsOf(template, ENTRY_FUNCTIONS.redriveJob.description));

    expect(post).toEqual(expect.arrayContaining(["states:StartExecution", "states:DescribeExecution"]));
    // S3 only for a large job's sources file, under jobs/.
    const postStatements = statementsOf(template, ENTRY_FUNCTIONS.postJob.description);
    const postS3 = postStatements.filter((statement) => JSON.stringify(statement.Action).includes("s3:"));
    expect(postS3).toEqual([
      expect.objectContaining({
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [expect.any(String), "Arn"] }, "/jobs/*"]] },
      }),
    ]);
    expect(actionsOf(get)).not.toContain("states:StartExecution");
    expect(actionsOf(get)).toEqual(
      expect.arrayContaining(["s3:GetObject", "states:DescribeExecution", "states:GetExecutionHistory"]),
    );
    const read = get.find((statement) => statement.Action === "s3:GetObject");
    expect(JSON.stringify(read?.Resource)).toContain("/results/*");
    expect(redrive).toEqual(
      expect.arrayContaining(["states:StartExecution", "states:RedriveExecution", "s3:GetObject"]),
    );
    expect(post).not.toContain("states:RedriveExecution");
    expect(actionsOf(get)).not.toContain("states:RedriveExecution");
  });
});

describe("UploadTrigger", () => {
  it("notifies the trigger of objects created under inbox/", () => {
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Events: ["s3:ObjectCreated:*"],
            Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "inbox/" }] } },
          }),
        ],
      },
    });
  });

  it("sends S3 events the trigger could not handle to a queue, and alarms on it", () => {
    // Prepare
    const queueId = Object.keys(template.findResources("AWS::SQS::Queue"))[0] as string;

    // Act
    const invokeConfigs = template.findResources("AWS::Lambda::EventInvokeConfig");

    // Assess
    expect(Object.values(invokeConfigs)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          MaximumRetryAttempts: 2,
          DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
        }),
      }),
    ]);
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
    });
  });

  it("lets the trigger read only the inbox, write only rejection notes and job files, and start executions", () => {
    const statements = statementsOf(template, ENTRY_FUNCTIONS.startJobFromUpload.description);
    const resourceOf = (action: string) =>
      JSON.stringify(statements.find((statement) => statement.Action === action)?.Resource);

    expect(actionsOf(statements)).toEqual(
      expect.arrayContaining(["s3:GetObject", "s3:ListBucket", "s3:PutObject", "states:StartExecution"]),
    );
    expect(resourceOf("s3:GetObject")).toContain("/inbox/*");
    expect(resourceOf("s3:PutObject")).toContain("/inbox/*.errors.json");
    const jobFiles = statements.filter((statement) => JSON.stringify(statement.Resource).includes("/jobs/*"));
    expect(jobFiles.map((statement) => statement.Action)).toEqual([["s3:GetObject", "s3:PutObject"]]);
  });

  it("works on an existing bucket", () => {
    imported.resourceCountIs("AWS::S3::Bucket", 0);
    imported.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: "their-videos",
      NotificationConfiguration: Match.objectLike({ LambdaFunctionConfigurations: Match.anyValue() }),
    });
    imported.hasResourceProperties("AWS::Lambda::Function", {
      Description: ENTRY_FUNCTIONS.postJob.description,
      Environment: {
        Variables: Match.objectLike({ SOURCE_BUCKET: "their-videos", STATE_MACHINE_ARN: Match.anyValue() }),
      },
    });
  });
});
