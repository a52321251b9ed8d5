/**
 * Holds back what the process writes to stdout and stderr (the handlers' JSON log lines) while the suite
 * runs, so it can be searched for secrets and the table is not buried under it.
 */
export function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = rest.find((argument) => typeof argument === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  return {
    text: () => chunks.join(""),
    restore: () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
    },
  };
}
