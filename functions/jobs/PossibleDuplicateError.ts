/** What a person should look for at the provider before sending a create again. */
export interface ResourceToCheck {
  provider: string;
  /** The provider operation whose answer was lost, e.g. `createClip`. */
  operation: string;
  /** The pipeline stage it belongs to. */
  stage: string;
  jobId: string;
  title: string;
  /** The sources it was made from (URLs without credentials or query, or `s3://bucket/key`). */
  sources: string[];
  /** Ids the stages before it produced (the media a clip is cut from, the reel a render renders). */
  madeFrom?: Record<string, string | string[]>;
  /** The provider's own id of the request, when its answer got that far. */
  requestId?: string;
}

/**
 * A redrive would send again a create whose outcome is unknown, at a provider that offers no way to look it
 * up: it could make a second billed resource, so it waits for the caller to check and accept that. The API
 * answers it as a conflict (409) carrying `resource`.
 */
export class PossibleDuplicateError extends Error {
  override readonly name = "PossibleDuplicateError";

  constructor(
    message: string,
    readonly jobId: string,
    readonly resource: ResourceToCheck,
  ) {
    super(message);
  }
}
