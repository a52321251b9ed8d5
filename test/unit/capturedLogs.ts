import { vi } from "vitest";
import { logger } from "../../functions/handlers/core/logger";

/**
 * Runs `act` with the handlers' logger on (the suite runs with logs off) and returns what it answered and
 * every line written meanwhile: errors go to stderr, the rest to stdout, as Lambda's console does.
 */
export async function capturedLogs<T>(act: () => Promise<T> | T): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const writes = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }),
  );
  logger.setLogLevel("INFO");
  try {
    return { value: await act(), lines };
  } finally {
    logger.setLogLevel("SILENT");
    for (const write of writes) write.mockRestore();
  }
}
