import type { z } from "zod";
import { isAllowedLocalOrigin } from "./localOrigins";
import { refusedAddressReason } from "./refusedAddress";
import { refusedHostNameReason } from "./refusedHostName";
import { urlHost } from "./urlHost";

/**
 * What is wrong with a URL we would fetch, or hand to a provider to fetch, on a user's behalf; `undefined`
 * when nothing can be told without DNS. Synchronous and offline: http(s) only, no `user:password@`, and a
 * host that is an address literal (any spelling) must be public unicast, a name must not be a local one.
 * Names are checked again, address by address, once resolved (`vetOutboundUrl`).
 */
export function outboundUrlProblem(text: string): string | undefined {
  if (!URL.canParse(text)) return "must be an absolute http(s) URL";
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.username !== "" || url.password !== "") {
    // They would travel on to the provider and into records; a signed URL's query is the way to grant access.
    return "must not carry credentials (user:password@)";
  }
  const { host, isAddress, port } = urlHost(url);
  if (!isAddress) return refusedHostNameReason(host);
  return isAllowedLocalOrigin(host, port) ? undefined : refusedAddressReason(host);
}

/**
 * For a zod URL schema: `.superRefine(refuseUnsafeUrl)` adds the outbound-URL problem as an issue. A value
 * that is not an http(s) URL at all is left to the URL schema's own message.
 */
export function refuseUnsafeUrl(value: string, context: z.RefinementCtx<string>): void {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) return;
  const problem = outboundUrlProblem(value);
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem, input: value });
}
