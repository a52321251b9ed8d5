import type { z } from "zod";
import type { CallbackOutcome } from "./CallbackOutcome";
import type { CallbackProvider, CallbackRecord } from "./CallbackRegistry";

/** What the callback machinery must know of one provider's events; authentication is the receiver's job. */
export interface CallbackSource<E> {
  provider: CallbackProvider;
  /** The provider's event body, as delivered and as stored. */
  event: z.ZodType<E>;
  /** The provider's id of the work the event is about (video, media, render). */
  subjectOf(event: E): string;
  /** Whether the event ends the wait, so it is worth keeping when no wait is registered yet. */
  terminal(event: E): boolean;
  /** What the event means for the wait `record` describes, in the poll step's own terms. */
  outcome(event: E, record: CallbackRecord): CallbackOutcome;
}
