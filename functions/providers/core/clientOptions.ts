import { InvalidInputError } from "./InvalidInputError";
import {
  type DescribeError,
  type Fetch,
  ProviderHttpClient,
  type ProviderHttpClientOptions,
} from "./ProviderHttpClient";

/** How to reach a provider that takes one static API key. */
export interface ApiKeyClientOptions {
  /** The provider's API base URL, or a simulator's. */
  baseUrl: string;
  apiKey: string;
  fetch?: Fetch;
  timeoutMs?: number;
}

/**
 * A provider client's own option that it cannot work with, thrown by its constructor. Give `value` only
 * for what is no credential: a key is said to be missing or malformed, never shown.
 */
export function invalidOption(
  provider: string,
  field: string,
  problem: string,
  value?: unknown,
): InvalidInputError {
  const shown = value === undefined ? { field, problem } : { field, problem, value };
  return new InvalidInputError("configuration", [shown], { provider, operation: "configure" });
}

/** Whether a string is an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** Checks a key given as a client option; says that it is missing, never what it is. */
export function requireApiKey(provider: string, apiKey: unknown, field = "apiKey"): string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw invalidOption(provider, field, "is missing or empty");
  }
  return apiKey;
}

/** Checks the base URL option: an absolute URL, or with `httpOnly` an http(s) one. */
export function requireBaseUrl(provider: string, baseUrl: unknown, httpOnly = false): string {
  if (typeof baseUrl === "string" && (httpOnly ? isHttpUrl(baseUrl) : URL.canParse(baseUrl))) return baseUrl;
  throw invalidOption(provider, "baseUrl", httpOnly ? "is not an http(s) URL" : "is not a URL", baseUrl);
}

/**
 * Credentials that never change: the same headers on every request (a 401 is final, there is nothing to
 * refresh), and every secret among them kept out of the errors the client throws.
 */
export function staticCredentials(
  headers: Record<string, string>,
  secrets: readonly string[],
): Pick<ProviderHttpClientOptions, "authorizer" | "secrets"> {
  return { authorizer: { headers: async () => headers }, secrets: () => secrets };
}

/**
 * The HTTP client of a provider that takes one static key in an `x-api-key` header (most of them): the key
 * and the base URL are checked first, in that order, and the key never shows in an error.
 */
export function apiKeyHttpClient(
  provider: string,
  options: ApiKeyClientOptions,
  describeError: DescribeError,
  baseUrl: { httpOnly?: boolean } = {},
): ProviderHttpClient {
  const apiKey = requireApiKey(provider, options.apiKey);
  return new ProviderHttpClient({
    provider,
    baseUrl: requireBaseUrl(provider, options.baseUrl, baseUrl.httpOnly),
    ...staticCredentials({ "x-api-key": apiKey }, [apiKey]),
    describeError,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
}
