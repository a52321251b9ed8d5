import { arnPlaceholder } from "../../functions/catalog";
import type { Block } from "./asl";
import { LAMBDA_SERVICE_RETRY, RECORD_RETRY } from "./retryPolicy";
import { RECORD_FAILURE, RECORD_RESULT } from "./stateNames";

/** The call that writes `results/<jobId>.json` and the job's event, for either outcome. */
function recordResultCall(outcome: Record<string, string>) {
  return {
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: {
      FunctionName: `\${${arnPlaceholder("RecordResult")}}`,
      Payload: { "job.$": "$.job", "executionId.$": "$$.Execution.Id", outcome },
    },
  };
}

/** A succeeded job: its result written and announced; the execution's output is the publish step's answer. */
export function recordResult(): Block {
  return {
    title: RECORD_RESULT,
    states: {
      [RECORD_RESULT]: {
        Type: "Task",
        Comment:
          "results/<jobId>.json and an EventBridge event. Not caught: if it keeps failing the execution fails here, and a redrive repeats only this step.",
        ...recordResultCall({ status: "succeeded", "result.$": "$.progress.publish.value" }),
        ResultPath: null,
        OutputPath: "$.progress.publish.value",
        Retry: [LAMBDA_SERVICE_RETRY, RECORD_RETRY],
        End: true,
      },
    },
  };
}

/**
 * A failed job: every caught error and every cap ends here, so each failure is written and announced the
 * same way, naming provider, step and reason, and the execution then fails with that reason.
 */
export function recordFailure(): Block {
  return {
    title: RECORD_FAILURE,
    states: {
      [RECORD_FAILURE]: {
        Type: "Task",
        Comment:
          "Turns whatever was caught ($.failure.<stage>) into one record naming provider, step and reason; a Lambda reads it because errors raised by Step Functions itself are plain text.",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: {
          FunctionName: `\${${arnPlaceholder("RecordFailure")}}`,
          Payload: {
            "job.$": "$.job",
            "failure.$": "$.failure",
            "progress.$": "$.progress",
            "executionId.$": "$$.Execution.Id",
          },
        },
        ResultSelector: { "error.$": "$.Payload.error", "cause.$": "$.Payload.cause" },
        ResultPath: "$.failureRecord",
        Retry: [LAMBDA_SERVICE_RETRY],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.recordError", Next: "Failed without record" }],
        Next: "Record failed result",
      },
      "Record failed result": {
        Type: "Task",
        Comment:
          "results/<jobId>.json and the failed event, with the progress so far (a redrive resumes from it). If it cannot be written the execution still fails with the record's reason.",
        ...recordResultCall({
          status: "failed",
          "cause.$": "$.failureRecord.cause",
          "progress.$": "$.progress",
        }),
        ResultPath: null,
        Retry: [LAMBDA_SERVICE_RETRY, RECORD_RETRY],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.resultError", Next: "Failed" }],
        Next: "Failed",
      },
      Failed: {
        Type: "Fail",
        Comment:
          "The execution fails with the record's error and cause, so DescribeExecution tells the reason too.",
        ErrorPath: "$.failureRecord.error",
        CausePath: "$.failureRecord.cause",
      },
      "Failed without record": {
        Type: "Fail",
        Comment: "The last resort: nothing could be recorded, so the execution history is the only trace.",
        Error: "FailureNotRecordedError",
        Cause: "The job failed and recording its failure failed too; see the execution history.",
      },
    },
  };
}
