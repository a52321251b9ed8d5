import { STAGES } from "../../functions/pipeline/stages";
import type { Block } from "./asl";
import { RATE_LIMIT_ENTRY, RECORD_FAILURE, stageTask } from "./stateNames";

/** 429s one job may meet in all before it gives up: a provider that keeps refusing is not coming back soon. */
const RATE_LIMIT_BUDGET = 10;

/**
 * Where every provider task's RateLimitedError goes: read the provider's Retry-After from the error (the
 * step writes it as JSON into the message, which Lambda wraps in the Cause), wait exactly that long, and
 * run the same stage's task again. A Retry block could only wait fixed intervals.
 */
export function rateLimitWait(): Block {
  const budgetSpent = "Rate limit budget spent";
  return {
    title: "Wait Retry-After",
    states: {
      [RATE_LIMIT_ENTRY]: {
        Type: "Pass",
        Comment:
          "A 429 is not retried blindly: the step waits as long as the provider asked, then runs again.",
        Parameters: { "lambdaError.$": "States.StringToJson($.rateLimited.Cause)" },
        ResultPath: "$.rateLimited.parsed",
        Next: "Read rate limit detail",
      },
      "Read rate limit detail": {
        Type: "Pass",
        Comment: "The Lambda error's message is the step's own JSON detail: the stage and retryAfterSeconds.",
        Parameters: { "detail.$": "States.StringToJson($.rateLimited.parsed.lambdaError.errorMessage)" },
        ResultPath: "$.rateLimited.parsed",
        Next: "Count rate limits",
      },
      "Count rate limits": {
        Type: "Pass",
        Comment: "Counts 429s over the whole job, so a provider that never lets up cannot hold it forever.",
        Parameters: { "count.$": "States.MathAdd($.rateLimits.count, 1)" },
        ResultPath: "$.rateLimits",
        Next: "Rate limit budget left?",
      },
      "Rate limit budget left?": {
        Type: "Choice",
        Comment: `More than ${RATE_LIMIT_BUDGET} 429s in one job ends it with the last one as the reason.`,
        Choices: [
          { Variable: "$.rateLimits.count", NumericGreaterThan: RATE_LIMIT_BUDGET, Next: budgetSpent },
        ],
        Default: "Wait Retry-After",
      },
      [budgetSpent]: {
        Type: "Pass",
        Comment: "The last 429 becomes the failure the record names.",
        Parameters: { "Error.$": "$.rateLimited.Error", "Cause.$": "$.rateLimited.Cause" },
        ResultPath: "$.failure.rateLimited",
        Next: RECORD_FAILURE,
      },
      "Wait Retry-After": {
        Type: "Wait",
        Comment:
          "As long as the provider's Retry-After said, in the state machine rather than a sleeping Lambda.",
        SecondsPath: "$.rateLimited.parsed.detail.retryAfterSeconds",
        Next: "Resume after rate limit",
      },
      "Resume after rate limit": {
        Type: "Choice",
        Comment:
          "Runs the refused stage's task again; a wait stage resumes at its poll, not its webhook wait.",
        Choices: STAGES.map((stage) => ({
          Variable: "$.rateLimited.parsed.detail.stage",
          StringEquals: stage,
          Next: stageTask(stage),
        })),
        Default: budgetSpent,
      },
    },
  };
}
