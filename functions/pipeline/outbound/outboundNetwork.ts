import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** What one GET may carry. */
export interface OutboundGetInit {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The two things an outbound fetch does on the network; tests replace them to see what would be sent. */
export interface OutboundNetwork {
  /** Every address a host name resolves to. */
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  /**
   * Sends one GET (no redirect followed) to `address`, presenting `url`'s own host name: the Host header,
   * TLS SNI and the certificate check are those of the name, the TCP connection goes to the address.
   */
  get(url: URL, address: ResolvedAddress, init: OutboundGetInit): Promise<IncomingMessage>;
}

/** No byte for this long (connecting, waiting for headers, or mid-body) ends the request. */
const IDLE_TIMEOUT_MS = 30_000;

/** The machine's own resolver and sockets. */
export const systemNetwork: OutboundNetwork = {
  async resolve(hostname) {
    return lookup(hostname, { all: true, verbatim: true });
  },
  get(url, address, init) {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        url,
        {
          method: "GET",
          headers: init.headers ?? {},
          // No pooled socket: one from the shared agent may have been opened to an address never checked.
          agent: false,
          lookup: pinnedLookup(address),
          timeout: IDLE_TIMEOUT_MS,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        resolve,
      );
      request.on("timeout", () => request.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS} ms`)));
      request.on("error", reject);
      request.end();
    });
  },
};

let current: OutboundNetwork = systemNetwork;

/** The network outbound fetches use: the system's, unless a test replaced it. */
export function outboundNetwork(): OutboundNetwork {
  return current;
}

/**
 * Replaces the network every outbound fetch and check uses until the returned function is called: tests
 * resolve names without DNS and watch what would be connected to. Production code never calls it.
 */
export function useOutboundNetwork(network: OutboundNetwork): () => void {
  const previous = current;
  current = network;
  return () => {
    current = previous;
  };
}

/**
 * A socket lookup that answers with the address already checked, whatever it is asked: the name is not
 * resolved a second time, so DNS cannot answer differently (rebinding) between the check and the connect.
 */
function pinnedLookup(vetted: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [vetted as LookupAddress]);
    else callback(null, vetted.address, vetted.family);
  };
}
