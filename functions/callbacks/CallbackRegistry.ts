import type { Stage } from "../pipeline/stages";
import { WEBHOOK_PROVIDERS, type WebhookProvider } from "../providers/registry";

/** The providers whose waits can end by webhook (a `webhook` in their descriptor), as `/webhooks/{provider}` names them. */
export const CALLBACK_PROVIDERS = WEBHOOK_PROVIDERS;
export type CallbackProvider = WebhookProvider;

/** Where a callback is filed: the provider, and a key both sides can compute (a video id; a job and stage). */
export interface CallbackAddress {
  provider: CallbackProvider;
  key: string;
}

/**
 * A waiting Task state, as its registration left it. `subjectId` is the provider's id of the awaited work
 * (video, media, render): an event about other work under the same key (an earlier render of a resumed
 * job) must not complete this wait. `ids` are what the poll step's mapping needs to word its answer.
 */
export interface CallbackRecord {
  taskToken: string;
  jobId: string;
  stage: Stage;
  subjectId: string;
  ids: Record<string, string>;
  registeredAt: string;
  /** Set once the task was completed: a duplicate webhook then finds a closed wait and does nothing. */
  completedAt?: string;
}

/** A terminal event that arrived before its wait was registered, kept for the registration to find. */
export interface StoredEvent {
  subjectId: string;
  receivedAt: string;
  /** The provider's event as parsed after authentication. */
  event: unknown;
}

/** The two halves of a callback, each written by one side and read by the other. */
export interface CallbackRegistry {
  putCallback(address: CallbackAddress, record: CallbackRecord): Promise<void>;
  getCallback(address: CallbackAddress): Promise<CallbackRecord | undefined>;
  putEvent(address: CallbackAddress, event: StoredEvent): Promise<void>;
  getEvent(address: CallbackAddress): Promise<StoredEvent | undefined>;
}
