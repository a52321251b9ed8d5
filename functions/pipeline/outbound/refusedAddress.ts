import ipaddr from "ipaddr.js";

/** What each of ipaddr.js's special ranges is, as a refusal says it. Anything else but `unicast` is refused too. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: "an unspecified address (0.0.0.0/8 or ::)",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  // Where cloud metadata and credential services answer (169.254.169.254, 169.254.170.2).
  linkLocal: "a link-local address (169.254.0.0/16, fe80::/10)",
  loopback: "a loopback address (this machine)",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  private: "a private address (RFC 1918)",
  uniqueLocal: "a private address (unique local, fc00::/7)",
  reserved: "a reserved address",
};

/**
 * Why an IP address is no place to send a request on a user's behalf, or `undefined` when it is public
 * unicast. Classification is ipaddr.js's special ranges, not patterns: an address is refused unless it is
 * plain unicast. IPv6 that embeds IPv4 (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`) is judged by the
 * IPv4 address inside, because that is where a dual-stack socket connects.
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `is not an IP address (${address})`;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") return refusedIpv6Reason(parsed as ipaddr.IPv6);
  return reasonForRange((parsed as ipaddr.IPv4).range(), parsed.toString());
}

/** Whether an address (any spelling ipaddr.js reads, IPv4-mapped included) is on this machine. */
export function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === "loopback";
}

function refusedIpv6Reason(address: ipaddr.IPv6): string | undefined {
  const shown = address.toString();
  if (address.isIPv4MappedAddress()) {
    const inside = address.toIPv4Address();
    return reasonForRange(inside.range(), `${inside} (inside ${shown})`);
  }
  if (isIpv4Compatible(address)) {
    // Deprecated since RFC 4291 and unused in public: refused whatever the IPv4 address inside.
    return `points at an IPv4-compatible address, deprecated by RFC 4291: ${shown} (${ipv4Inside(address)})`;
  }
  return reasonForRange(address.range(), shown);
}

/** `::a.b.c.d`: ipaddr.js calls it unicast, but a stack that still honours it connects to the IPv4 inside. */
function isIpv4Compatible(address: ipaddr.IPv6): boolean {
  const parts = address.parts;
  return parts.slice(0, 6).every((part) => part === 0) && address.range() === "unicast";
}

function ipv4Inside(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray().slice(12);
  return new ipaddr.IPv4(bytes);
}

function reasonForRange(range: string, shown: string): string | undefined {
  if (range === "unicast") return undefined;
  return `points at ${RANGE_NAMES[range] ?? `an address reserved for ${range}`}: ${shown}`;
}
