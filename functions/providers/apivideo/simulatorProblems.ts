/**
 * How the api.video simulator says no: problem JSON `{type, title, status, detail?, name?}` as api.video
 * writes it, with its rate-limit headers on a 429.
 */
import type { z } from "zod";
import type { ProviderDialect, SimulatorResponse } from "../core/simulator/SimulatorServer";
import type { Problem } from "./schemas";

const PROBLEM_BASE = "https://docs.api.video/reference";
const RATE_LIMIT_PER_MINUTE = 60;

/** A problem answer; `name` is the attribute or header at fault, when there is one. */
export function problem(
  status: number,
  type: string,
  title: string,
  detail?: string,
  name?: string,
): SimulatorResponse {
  const body: Problem = {
    type: `${PROBLEM_BASE}/${type}`,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(name === undefined ? {} : { name }),
  };
  return { status, body, headers: { "content-type": "application/problem+json" } };
}

/** A body that broke the request schema: its first issue, naming the attribute. */
export function attributeProblem(error: z.ZodError): SimulatorResponse {
  const issue = error.issues[0];
  const name = issue?.path.map(String).join(".") || undefined;
  return problem(400, "invalid-attribute", issue?.message ?? "An attribute is invalid.", undefined, name);
}

/** api.video's way of saying "slow down", "broken" and "not found": problem JSON, rate-limit headers. */
export const apiVideoDialect: ProviderDialect = {
  rateLimited(retryAfterSeconds) {
    const response = problem(429, "too-many-requests", "Too many requests.", "The rate limit was exceeded.");
    response.headers = {
      ...response.headers,
      "x-ratelimit-limit": String(RATE_LIMIT_PER_MINUTE),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-retry-after": String(retryAfterSeconds),
    };
    return response;
  },
  unavailable(status) {
    return problem(status, "service-unavailable", "The service is temporarily unavailable.");
  },
  notFound(path) {
    return problem(404, "resource-not-found", "The requested resource was not found.", `Nothing at ${path}.`);
  },
};
