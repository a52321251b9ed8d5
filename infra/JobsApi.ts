import { CfnOutput } from "aws-cdk-lib";
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { ENTRY_FUNCTIONS } from "../functions/entryFunctions";
import { resultKey } from "../functions/results/jobResult";
import { acknowledge, acknowledgeWildcard } from "./nagAcknowledgements";
import { PipelineFunction } from "./PipelineFunction";

export interface JobsApiProps {
  stateMachine: StateMachine;
  /** The pipeline's bucket: job sources must be in it, results are read from it. */
  bucket: IBucket;
}

/**
 * The HTTP API (API Gateway v2) in front of the pipeline: `POST /jobs`, `GET /jobs/{id}` and
 * `POST /jobs/{id}/redrive`, each its own Lambda with only the permissions it needs, all IAM-authorised
 * (callers sign with SigV4), with access logs on the stage.
 */
export class JobsApi extends Construct {
  readonly api: HttpApi;
  readonly functions: PipelineFunction[];

  constructor(scope: Construct, id: string, props: JobsApiProps) {
    super(scope, id);
    const { stateMachine, bucket } = props;
    this.api = new HttpApi(this, "Api", {
      description: "vidstep jobs: submit, inspect and redrive (IAM auth)",
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    this.api.addStage("Stage", {
      stageName: "$default",
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, "AccessLogs", { retention: RetentionDays.ONE_MONTH }),
        ),
      },
    });

    const postJob = this.route("POST", "/jobs", new PipelineFunction(this, ENTRY_FUNCTIONS.postJob));
    const getJob = this.route("GET", "/jobs/{id}", new PipelineFunction(this, ENTRY_FUNCTIONS.getJob));
    const redrive = this.route(
      "POST",
      "/jobs/{id}/redrive",
      new PipelineFunction(this, ENTRY_FUNCTIONS.redriveJob),
    );
    this.functions = [postJob, getJob, redrive];

    for (const fn of this.functions) {
      // Every route describes executions: to find a job's latest attempt, or whether a start repeats one.
      fn.useJobs(stateMachine, bucket, ["states:DescribeExecution", "states:GetExecutionHistory"]);
    }
    for (const fn of [postJob, redrive]) stateMachine.grantStartExecution(fn);
    // A job that stopped without a resume point is continued where it stopped, not started over.
    redrive.useJobs(stateMachine, bucket, ["states:RedriveExecution"]);
    for (const fn of [getJob, redrive]) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ["s3:GetObject"], resources: [bucket.arnForObjects(resultKey("*"))] }),
      );
      // A result not written yet must read as 404.
      fn.allowListing(bucket);
      acknowledgeWildcard(
        fn,
        bucket.arnForObjects(resultKey("*")),
        "One result file per job, named by job id; read-only.",
      );
    }

    new CfnOutput(this, "Url", {
      value: this.api.apiEndpoint,
      description: "vidstep jobs API (SigV4, execute-api)",
    });
  }

  /**
   * Adds `POST /webhooks/{provider}` without IAM auth: providers cannot sign SigV4, so the handler must
   * authenticate each call by the provider's own signature.
   */
  addWebhookRoute(handler: IFunction): void {
    const [route] = this.api.addRoutes({
      path: "/webhooks/{provider}",
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration("WebhookIntegration", handler),
      authorizer: new HttpNoneAuthorizer(),
    });
    if (route) {
      acknowledge(
        route,
        "AwsSolutions-APIG4",
        "Providers cannot sign SigV4; the receiver verifies api.video's HMAC signature and video.dev's per-task secret, and answers 401 otherwise.",
      );
    }
  }

  private route(method: "GET" | "POST", path: string, fn: PipelineFunction): PipelineFunction {
    this.api.addRoutes({
      path,
      methods: [HttpMethod[method]],
      integration: new HttpLambdaIntegration(`${fn.node.id}Integration`, fn),
    });
    return fn;
  }
}
