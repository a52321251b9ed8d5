import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { type OutboundGetInit, type OutboundNetwork, outboundNetwork } from "./outboundNetwork";
import { unreachableSource } from "./UnreachableSourceError";
import { vetOutboundUrl } from "./vetOutboundUrl";

/** What a fetch of a user's URL takes: a GET's headers and signal, and the field the URL came from. */
export interface OutboundFetchInit extends OutboundGetInit {
  /** Named by errors, e.g. `sources.0.url`. */
  field?: string;
}

/** A GET of a user's URL; global `fetch` fits the shape, so tests may pass one that serves from memory. */
export type FetchUrl = (url: string, init: OutboundFetchInit) => Promise<Response>;

/** Enough for a CDN's hop or two (http to https, a signed edge URL); more is a loop or a probe. */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses a WHATWG Response refuses a body for. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * `fetch` for URLs a user gave: every hop's host is resolved and every address checked before the
 * connection, which goes to the checked address (see OutboundNetwork); redirects are followed by hand, each
 * target checked again, at most MAX_REDIRECTS. A refused URL is an InvalidInputError naming the field; any
 * failure to connect is the one generic UnreachableSourceError, so nothing about ports is told.
 */
export async function outboundFetch(
  url: string,
  init: OutboundFetchInit = {},
  network: OutboundNetwork = outboundNetwork(),
): Promise<Response> {
  const { field = "url", ...get } = init;
  let current = url;
  for (let hops = 0; ; hops += 1) {
    const redirectedFrom = hops === 0 ? undefined : url;
    const { url: target, address } = await vetOutboundUrl(current, field, {
      network,
      ...(redirectedFrom === undefined ? {} : { redirectedFrom }),
    });
    const answer = await network.get(target, address, get).catch((error: unknown) => {
      throw unreachableSource(field, target, error);
    });
    const location = answer.headers.location;
    if (!REDIRECT_STATUSES.has(answer.statusCode ?? 0) || location === undefined) return asResponse(answer);
    answer.resume();
    if (hops >= MAX_REDIRECTS || !URL.canParse(location, target.href)) {
      const why =
        hops >= MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} redirects` : "a Location that is no URL";
      throw unreachableSource(field, url, new Error(why));
    }
    current = new URL(location, target).href;
  }
}

function asResponse(answer: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const item of [value ?? []].flat()) headers.append(name, item);
  }
  const status = answer.statusCode ?? 502;
  if (NULL_BODY_STATUSES.has(status)) {
    answer.resume();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(answer) as ReadableStream<Uint8Array>, { status, headers });
}
