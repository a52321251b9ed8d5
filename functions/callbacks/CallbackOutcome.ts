import { toStepFailure } from "../handlers/core/stepFailure";
import type { PollAnswer } from "../pipeline/stepEvent";
import type { CallbackRecord } from "./CallbackRegistry";

/** What the provider's answer means for the waiting task: done (with the poll step's answer), failed, or still going. */
export type CallbackOutcome =
  | { kind: "succeeded"; output: PollAnswer }
  | { kind: "failed"; error: string; cause: string }
  | { kind: "progress" };

/**
 * Reads the work a wait is about from the provider's own API, with the ids the wait registered (never the
 * ones an event names): what ends a wait. A webhook only says when to look, since whoever holds a video.dev
 * callback URL can send any body. A failed read throws; it is never the job's failure.
 */
export type ConfirmOutcome = (record: CallbackRecord) => Promise<CallbackOutcome>;

/**
 * Runs a poll step's own mapping on what the provider answered, so the task ends exactly as a poll would
 * have ended it: a ready answer is the task's output, and a thrown error becomes a failure whose Cause has
 * the Lambda error's shape `{errorType, errorMessage}`, which the failure record already reads.
 */
export function outcomeOf(stage: string, answer: () => PollAnswer): CallbackOutcome {
  try {
    const output = answer();
    return output.ready ? { kind: "succeeded", output } : { kind: "progress" };
  } catch (error) {
    const failure = toStepFailure(error, stage);
    return {
      kind: "failed",
      error: failure.name,
      cause: JSON.stringify({ errorType: failure.name, errorMessage: failure.message }),
    };
  }
}
