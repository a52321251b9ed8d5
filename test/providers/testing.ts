import type { Server } from "node:http";
import { ProviderError } from "../../functions/providers/core/errors";

/** Runs `action` and returns what it threw; fails the test when it does not throw. */
export async function captured(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/**
 * Polls `read` until `done` holds and returns every value seen, the last one satisfying `done`; gives up
 * after a bounded number of tries, like the state machine's wait loop.
 */
export async function pollSeen<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tries = 100,
): Promise<T[]> {
  const seen: T[] = [];
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await read();
    seen.push(value);
    if (done(value)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`still not done after ${tries} polls`);
}

/** Polls `read` until `done` holds and returns the value that did. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tries = 100,
): Promise<T> {
  const seen = await pollSeen(read, done, tries);
  return seen[seen.length - 1] as T;
}

/** Stops a test's own HTTP server, dropping the connections a client keeps alive. */
export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Everything an error could show a log or a result: its message, stack, detail and causes. */
export function everythingShown(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (current instanceof ProviderError) parts.push(JSON.stringify(current.toDetail()));
    if (current instanceof Error) {
      parts.push(current.message, String(current.stack), JSON.stringify(current));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current) ?? String(current));
      current = undefined;
    }
  }
  return parts.join("\n");
}
