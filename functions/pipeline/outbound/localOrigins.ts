import ipaddr from "ipaddr.js";
import { isLoopbackAddress } from "./refusedAddress";
import { unbracketed } from "./urlHost";

/**
 * Loopback origins (`127.0.0.1:PORT`) that user URLs may reach: only the local runtime adds any, for its own
 * servers (s3rver, whose presigned URLs stand in for a partner's CDN) and tests for the servers they start.
 * Nothing in the Lambdas adds one, and it is deliberately not read from the environment, so no deployed
 * configuration can open the loopback interface. Counted, so two local stacks in one process can each
 * take their origin away without taking the other's.
 */
const allowed = new Map<string, number>();

/**
 * Lets user URLs reach these loopback origins (`127.0.0.1:PORT` or `[::1]:PORT`) until the returned function
 * is called. Anything but a loopback address with an explicit port is refused.
 */
export function allowLocalOrigins(origins: readonly string[]): () => void {
  const keys = origins.map(originKey);
  for (const key of keys) allowed.set(key, (allowed.get(key) ?? 0) + 1);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    for (const key of keys) {
      const count = (allowed.get(key) ?? 0) - 1;
      if (count > 0) allowed.set(key, count);
      else allowed.delete(key);
    }
  };
}

/** Whether a connection to `address` on `port` was allowed by the local runtime. */
export function isAllowedLocalOrigin(address: string, port: number): boolean {
  return allowed.size > 0 && isLoopbackAddress(address) && allowed.has(`${canonical(address)}:${port}`);
}

function originKey(origin: string): string {
  const url = URL.canParse(`http://${origin}`) ? new URL(`http://${origin}`) : undefined;
  const address = url === undefined ? "" : unbracketed(url.hostname);
  if (url === undefined || url.port === "" || !isLoopbackAddress(address) || url.host !== origin) {
    throw new Error(`allowLocalOrigins takes loopback host:port pairs such as 127.0.0.1:9000, not ${origin}`);
  }
  return `${canonical(address)}:${url.port}`;
}

/** One spelling per address: `::ffff:127.0.0.1` and `127.0.0.1` are the same origin. */
function canonical(address: string): string {
  return ipaddr.process(unbracketed(address)).toString();
}
