import type { CallbackAddress, CallbackRecord, CallbackRegistry } from "./CallbackRegistry";
import type { CallbackSource } from "./CallbackSource";
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
  /** Set when the completion event had already arrived and this registration settled the task. */
  settled?: Settlement;
}

/**
 * Files a waiting task's token under its callback address, then looks for an event that arrived first:
 * the webhook does the mirror image (files its event, then looks for the token), so whichever comes second
 * finds the other and no event is lost to the race.
 */
export async function awaitCallback<E>(
  dependencies: AwaitCallbackDependencies,
  source: CallbackSource<E>,
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
  const event = source.event.safeParse(stored.event);
  if (!event.success) return { registered: true };
  const outcome = source.outcome(event.data, record);
  if (outcome.kind === "progress") return { registered: true };
  return {
    registered: true,
    settled: await settleCallback(registry, completion, address, record, outcome, now),
  };
}
