import { createHash } from "node:crypto";

/** Step Functions execution names (and so job ids): at most 80 of these characters. */
const MAX_NAME_LENGTH = 80;
const HASH_CHARS = 24;

/**
 * A valid execution name derived from `material`: the readable `stem` (cleaned to `[A-Za-z0-9_-]` and cut
 * short) joined to a hash of the material, so equal material always gives the same name and names differ
 * when material does.
 */
export function hashedName(stem: string, material: readonly string[]): string {
  const hash = createHash("sha256").update(material.join("\n")).digest("hex").slice(0, HASH_CHARS);
  const readable = stem
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_NAME_LENGTH - HASH_CHARS - 1);
  return readable === "" ? hash : `${readable}-${hash}`;
}

/** Whether `name` may name an execution as it is. */
export function isExecutionName(name: string): boolean {
  return /^[A-Za-z0-9_-]{1,80}$/.test(name);
}
