import type { CallbackOutcome } from "./CallbackOutcome";
import type { CallbackAddress, CallbackRecord, CallbackRegistry } from "./CallbackRegistry";
import { TaskAlreadyClosedError, type TaskCompletion } from "./TaskCompletion";

/** What became of an outcome: the task was ended or kept alive, or it had already been closed. */
export type Settlement = "completed" | "heartbeat" | "already-closed";

/**
 * Hands an outcome to the waiting task and, when it ends the wait, marks the record completed so a
 * duplicate event does nothing. Both the webhook and a late registration may get here for the same
 * event; the loser finds the task closed, which is harmless.
 */
export async function settleCallback(
  registry: CallbackRegistry,
  completion: TaskCompletion,
  address: CallbackAddress,
  record: CallbackRecord,
  outcome: CallbackOutcome,
  now: () => Date = () => new Date(),
): Promise<Settlement> {
  try {
    if (outcome.kind === "progress") {
      await completion.heartbeat(record.taskToken);
      return "heartbeat";
    }
    if (outcome.kind === "succeeded") await completion.succeed(record.taskToken, outcome.output);
    else await completion.fail(record.taskToken, outcome.error, outcome.cause);
  } catch (error) {
    if (!(error instanceof TaskAlreadyClosedError)) throw error;
    if (outcome.kind !== "progress") await markCompleted(registry, address, record, now);
    return "already-closed";
  }
  await markCompleted(registry, address, record, now);
  return "completed";
}

async function markCompleted(
  registry: CallbackRegistry,
  address: CallbackAddress,
  record: CallbackRecord,
  now: () => Date,
): Promise<void> {
  await registry.putCallback(address, { ...record, completedAt: now().toISOString() });
}
