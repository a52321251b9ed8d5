import type { ByteSource } from "../providers/core/ByteSource";

/** A URL that cannot be read by range. */
export class UnreachableSourceError extends Error {
  override readonly name = "UnreachableSourceError";
}

/**
 * A URL as a ByteSource: the size from a one-byte ranged GET (servers answer HEAD less reliably than
 * Range), then one ranged GET per read. Query strings are left out of messages: they can hold signatures.
 */
export async function urlSource(url: string, fetchImpl: typeof fetch = fetch): Promise<ByteSource> {
  const shown = withoutQuery(url);
  const probe = await fetchImpl(url, {
    headers: { range: "bytes=0-0" },
    signal: AbortSignal.timeout(30_000),
  }).catch((error: unknown) => {
    throw new UnreachableSourceError(`${shown}: ${(error as Error).message}`);
  });
  await probe.body?.cancel();
  const total = /\/(\d+)$/.exec(probe.headers.get("content-range") ?? "")?.[1];
  if (probe.status !== 206 || total === undefined) {
    throw new UnreachableSourceError(
      `${shown}: no ranged reads (HTTP ${probe.status}); the pipeline needs them`,
    );
  }
  return {
    name: decodeURIComponent(new URL(url).pathname.split("/").pop() || "video"),
    size: Number(total),
    async read(start, endInclusive) {
      const response = await fetchImpl(url, {
        headers: { range: `bytes=${start}-${endInclusive}` },
        signal: AbortSignal.timeout(60_000),
      });
      if (response.status !== 206) {
        await response.body?.cancel();
        throw new UnreachableSourceError(
          `${shown}: bytes ${start}-${endInclusive} answered HTTP ${response.status}`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
