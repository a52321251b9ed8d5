import type { Job } from "../pipeline/jobSpec";

/**
 * Whether two jobs are the same input: compared as JSON with sorted keys, because an execution's input
 * comes back as text whose key order is not ours to rely on.
 */
export function sameJob(a: Job | unknown, b: Job | unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
