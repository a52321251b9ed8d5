import { originOnly } from "./urlHost";

/**
 * A URL that could not be read. The message is the same whatever went wrong (refused connection, timeout,
 * TLS, 404, a server without ranged reads): telling them apart would let a caller map ports and paths.
 * The cause keeps the detail for whoever debugs from the logs.
 */
export class UnreachableSourceError extends Error {
  override readonly name = "UnreachableSourceError";
}

/** The one error a URL that could not be read gives: the field, and only `scheme://host/` of the URL. */
export function unreachableSource(field: string, url: string | URL, cause?: unknown): UnreachableSourceError {
  const shown = URL.canParse(String(url)) ? originOnly(new URL(url)) : "the URL";
  return new UnreachableSourceError(
    `${field} could not be read from ${shown}`,
    cause === undefined ? undefined : { cause },
  );
}
