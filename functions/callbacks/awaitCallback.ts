import type { ConfirmOutcome } from "./CallbackOutcome";
import type { CallbackAddress, CallbackRecord, CallbackRegistry } from "./CallbackRegistry";
import { type Settlement, settleCallback } from "./settleCallback";
import type { TaskCompletion } from "./TaskCompletion";

/** What a registration needs: where callbacks are filed, and how to end the task if its event came first. */
export interface AwaitCallbackDependencies {
  registry: CallbackRegistry;
  completion: TaskCompletion;
  now?: () => Date;
}

/** What the registration step answers; the task itself stays open until the callback completes it. */
export interface AwaitCallbackAnswer {
  registered: true;
  /** Set when an event had already arrived, the provider confirmed the work ended, and this settled the task. */
  settled?: Settlement;
}

/**
 * Files a waiting task's token under its callback address, then looks for an event that arrived first:
 * the webhook does the mirror image (files its event, then looks for the token), so whichever comes second
 * finds the other and no event is lost to the race. An event found here is only a hint, as at the receiver:
 * the provider's own answer (`confirm`) decides, and while it says "still processing" the task stays open.
 */
export async function awaitCallback(
  dependencies: AwaitCallbackDependencies,
  confirm: ConfirmOutcome,
  address: CallbackAddress,
  wait: Omit<CallbackRecord, "registeredAt" | "completedAt">,
): Promise<AwaitCallbackAnswer> {
  const { registry, completion, now = () => new Date() } = dependencies;
  // A redriven job can wait on the same work again (its api.video video, its video.dev job and stage);
  // an event filed before the earlier wait closed was that wait's, and must not end this one.
  const earlier = await registry.getCallback(address);
  const record: CallbackRecord = { ...wait, registeredAt: now().toISOString() };
  await registry.putCallback(address, record);
  const stored = await registry.getEvent(address);
  if (!stored || stored.subjectId !== record.subjectId) return { registered: true };
  if (earlier?.completedAt !== undefined && stored.receivedAt <= earlier.completedAt)
    return { registered: true };
  // A provider error here fails this step, which the state machine retries like a poll.
  const outcome = await confirm(record);
  if (outcome.kind === "progress") return { registered: true };
  return {
    registered: true,
    settled: await settleCallback(registry, completion, address, record, outcome, now),
  };
}
