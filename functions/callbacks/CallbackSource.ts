import type { z } from "zod";
import type { CallbackProvider } from "./CallbackRegistry";

/**
 * What the receiver must know of one provider's events; authentication is the receiver's job, and what
 * ends a wait is the provider's own answer (`ConfirmOutcome`), not the event.
 */
export interface CallbackSource<E> {
  provider: CallbackProvider;
  /** The provider's event body, as delivered. */
  event: z.ZodType<E>;
  /** The provider's id of the work the event is about (video, media, render). */
  subjectOf(event: E): string;
  /** Whether the event claims the work ended, so it is worth keeping when no wait is registered yet. */
  terminal(event: E): boolean;
}
