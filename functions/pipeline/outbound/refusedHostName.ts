/** Names every resolver answers from the hosts file or local config: never a public host. */
const LOCAL_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

/** Suffixes reserved for names that exist only inside a network: RFC 6761 `localhost`, mDNS, ICANN's `internal`. */
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal"];

/**
 * Why a host name is refused before it is ever resolved, or `undefined` when it is left to DNS (and to
 * the address check after resolution). A trailing dot and letter case change nothing.
 */
export function refusedHostNameReason(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  if (LOCAL_NAMES.has(name) || LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    return `names a host on the local machine or network (${hostname})`;
  }
  // A single label resolves through the machine's search domains, i.e. to an internal host.
  if (!name.includes(".")) return `names no public host: a single-label name resolves locally (${hostname})`;
  return undefined;
}
