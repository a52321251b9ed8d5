import {
  type OutboundNetwork,
  systemNetwork,
  useOutboundNetwork,
} from "../functions/pipeline/outbound/outboundNetwork";
import { isLoopbackAddress } from "../functions/pipeline/outbound/refusedAddress";

/**
 * A public address for the names tests use in URLs (RFC 2606: `example`, `example.com` and subdomains),
 * so they pass the outbound policy; nothing ever connects to it (see `get`).
 */
const EXAMPLE_ADDRESS = "93.184.216.34";

/**
 * The network every test runs with: no name goes to DNS (example names resolve to EXAMPLE_ADDRESS, others
 * fail as unknown) and no connection leaves loopback. A test that needs other answers injects its own.
 */
export const testNetwork: OutboundNetwork = {
  async resolve(hostname) {
    const name = hostname.toLowerCase().replace(/\.$/, "");
    const isExample = ["example", "example.com", "example.net", "example.org"].some(
      (domain) => name === domain || name.endsWith(`.${domain}`),
    );
    if (isExample) return [{ address: EXAMPLE_ADDRESS, family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (tests resolve no real name)`), {
      code: "ENOTFOUND",
    });
  },
  async get(url, address, init) {
    if (!isLoopbackAddress(address.address)) {
      throw new Error(`tests connect only to loopback addresses, not ${address.address}`);
    }
    return systemNetwork.get(url, address, init);
  },
};

/** Puts `testNetwork` in place for the whole test file (called from the setup file). */
export function useTestNetwork(): () => void {
  return useOutboundNetwork(testNetwork);
}
