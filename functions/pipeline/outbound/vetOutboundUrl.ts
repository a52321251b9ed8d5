import { InvalidInputError, withoutUrlCredentials } from "../../providers/core/InvalidInputError";
import { isAllowedLocalOrigin } from "./localOrigins";
import { type OutboundNetwork, outboundNetwork, type ResolvedAddress } from "./outboundNetwork";
import { outboundUrlProblem } from "./outboundUrlProblem";
import { refusedAddressReason } from "./refusedAddress";
import { unreachableSource } from "./UnreachableSourceError";
import { urlHost } from "./urlHost";

/** A URL whose every address was checked, and the one to connect to. */
export interface VettedUrl {
  url: URL;
  address: ResolvedAddress;
}

export interface VetOptions {
  network?: OutboundNetwork;
  /** The URL the user gave, when `text` is where it redirected: the error then names the user's URL. */
  redirectedFrom?: string;
}

/**
 * Checks a URL before it is fetched or handed to a provider: the offline checks of `outboundUrlProblem`,
 * then the host name resolved and every address it resolves to checked (one bad answer refuses the URL,
 * since a socket may pick any). A refused URL is an InvalidInputError naming `field`; a name that does not
 * resolve is an UnreachableSourceError that says no more than `scheme://host/`.
 */
export async function vetOutboundUrl(
  text: string,
  field: string,
  options: VetOptions = {},
): Promise<VettedUrl> {
  const refuse = (problem: string) => refused(field, text, problem, options.redirectedFrom);
  const problem = outboundUrlProblem(text);
  if (problem !== undefined) throw refuse(problem);
  const url = new URL(text);
  const { host, isAddress, port } = urlHost(url);
  if (isAddress) return { url, address: { address: host, family: host.includes(":") ? 6 : 4 } };
  const addresses = await (options.network ?? outboundNetwork()).resolve(host).catch((error: unknown) => {
    throw unreachableSource(field, url, error);
  });
  if (addresses.length === 0) throw unreachableSource(field, url);
  for (const { address } of addresses) {
    if (!isAllowedLocalOrigin(address, port) && refusedAddressReason(address) !== undefined) {
      // Which private address a name has is not said: it may be our own network's.
      throw refuse("resolves to an address that is not public (loopback, private, link-local or reserved)");
    }
  }
  return { url, address: addresses[0] as ResolvedAddress };
}

function refused(field: string, text: string, problem: string, redirectedFrom: string | undefined) {
  if (redirectedFrom === undefined)
    return new InvalidInputError("job spec", [{ field, problem, value: text }]);
  return new InvalidInputError("job spec", [
    {
      field,
      problem: `redirects to ${withoutUrlCredentials(text)}, which ${problem}`,
      value: redirectedFrom,
    },
  ]);
}
