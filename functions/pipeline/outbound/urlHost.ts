import ipaddr from "ipaddr.js";

/** Where a URL connects: its host as an address literal or a name to resolve, and the port. */
export interface UrlHost {
  /** The host without IPv6 brackets: `169.254.169.254`, `::1`, `cdn.example.com`. */
  host: string;
  /** Whether `host` is an IP address, i.e. there is nothing to resolve. */
  isAddress: boolean;
  port: number;
}

/**
 * A URL's host as the network sees it. WHATWG URL parsing has already turned every IPv4 spelling
 * (`2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376`, `127.1`) into dotted decimal, and IPv6 is bracketed;
 * ipaddr.js then tells an address from a name.
 */
export function urlHost(url: URL): UrlHost {
  const host = unbracketed(url.hostname);
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return { host, isAddress: host !== url.hostname || ipaddr.IPv4.isValid(host), port };
}

/** A URL's IPv6 host without its brackets; any other host unchanged. */
export function unbracketed(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** `scheme://host/`: all an error may say about a URL it could not read (no port, path or query). */
export function originOnly(url: URL): string {
  return `${url.protocol}//${url.hostname}/`;
}
