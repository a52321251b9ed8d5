import type { ByteSource } from "../providers/core/ByteSource";
import { type FetchUrl, outboundFetch } from "./outbound/outboundFetch";
import { unreachableSource } from "./outbound/UnreachableSourceError";

/**
 * A URL as a ByteSource: the size from a one-byte ranged GET (servers answer HEAD less reliably than
 * Range), then one ranged GET per read. Fetched through the outbound-URL policy; every way of failing gives
 * the same message (see UnreachableSourceError), so the answer of a host is never echoed to the caller.
 */
export async function urlSource(
  url: string,
  field = "source.url",
  fetchUrl: FetchUrl = outboundFetch,
): Promise<ByteSource> {
  const probe = await fetchUrl(url, {
    headers: { range: "bytes=0-0" },
    signal: AbortSignal.timeout(30_000),
    field,
  });
  await probe.body?.cancel();
  const total = /\/(\d+)$/.exec(probe.headers.get("content-range") ?? "")?.[1];
  if (probe.status !== 206 || total === undefined) {
    throw unreachableSource(field, url, new Error(`no ranged reads (HTTP ${probe.status})`));
  }
  return {
    name: decodeURIComponent(new URL(url).pathname.split("/").pop() || "video"),
    size: Number(total),
    async read(start, endInclusive) {
      const response = await fetchUrl(url, {
        headers: { range: `bytes=${start}-${endInclusive}` },
        signal: AbortSignal.timeout(60_000),
        field,
      });
      if (response.status !== 206) {
        await response.body?.cancel();
        throw unreachableSource(
          field,
          url,
          new Error(`bytes ${start}-${endInclusive}: HTTP ${response.status}`),
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
