import type { Stage } from "../../functions/pipeline/stages";
import type { States } from "./asl";
import { providerTask } from "./providerTask";
import { failurePath, RECORD_FAILURE, waitedStage, waitStateNames } from "./stateNames";

/**
 * Polls are at most a minute apart (`pollDelaySeconds`), so this is about four hours of waiting, inside the
 * execution's six; past it the job fails with a record instead of waiting forever.
 */
export const POLL_LIMIT = 240;

/**
 * A wait stage's poll loop: count, ask the provider once, and either go on, give up at the cap, or wait as
 * long as the step advised. The wait lives here, not in a sleeping Lambda.
 */
export function pollLoop(stage: Stage, next: string): States {
  const names = waitStateNames(stage);
  const waited = waitedStage(stage) ?? stage;
  return {
    [names.count]: {
      Type: "Pass",
      Comment:
        "Counts this stage's polls, for the cap below and for the step, whose advised delay grows with it.",
      Parameters: { "count.$": `States.MathAdd($.polls.${stage}.count, 1)` },
      ResultPath: `$.polls.${stage}`,
      Next: names.poll,
    },
    [names.poll]: providerTask({
      stage,
      comment: `One status request for the ${waited} step; the answer says ready, or how long to wait.`,
      payload: { "poll.$": `$.polls.${stage}.count` },
      next: names.ready,
    }),
    [names.ready]: {
      Type: "Choice",
      Comment: `Ready goes on; ${POLL_LIMIT} polls without it is a failure, not an endless loop.`,
      Choices: [
        { Variable: `$.progress.${stage}.value.ready`, BooleanEquals: true, Next: next },
        {
          Variable: `$.polls.${stage}.count`,
          NumericGreaterThanEquals: POLL_LIMIT,
          Next: names.limitReached,
        },
      ],
      Default: names.wait,
    },
    [names.wait]: {
      Type: "Wait",
      Comment: "Waits as long as the poll step advised, in the state machine: no Lambda sleeps.",
      SecondsPath: `$.progress.${stage}.value.nextPollSeconds`,
      Next: names.count,
    },
    [names.limitReached]: {
      Type: "Pass",
      Comment: "Turns the cap into a failure the record can name, like any step's error.",
      Result: {
        Error: "PollLimitReachedError",
        Cause: `The provider was polled ${POLL_LIMIT} times and the ${waited} step is still not ready.`,
      },
      ResultPath: failurePath(stage),
      Next: RECORD_FAILURE,
    },
  };
}
