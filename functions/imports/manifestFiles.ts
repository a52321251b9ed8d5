import { createHash } from "node:crypto";

/** The formats a manifest may have, by file suffix (matched case-insensitively). */
export type ManifestFormat = "jsonl" | "csv";

const SUFFIXES: Record<string, ManifestFormat> = { ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv" };

/** Where manifests are dropped; only objects directly under it are picked up. */
export const IMPORTS_PREFIX = "imports/";

/** The manifest format of a file name or key, or undefined when it is not a manifest. */
export function manifestFormatOf(key: string): ManifestFormat | undefined {
  const lower = key.toLowerCase();
  const suffix = Object.keys(SUFFIXES).find((candidate) => lower.endsWith(candidate));
  return suffix === undefined ? undefined : SUFFIXES[suffix];
}

/**
 * A manifest's id: its file name (made execution-name safe, cut to 40) and a hash of its name and content
 * tag. The same file uploaded again gets the same id, so its rows get the same job ids, and Step Functions
 * refuses to start an execution name twice: a row cannot run twice.
 */
export function manifestIdOf(file: string, etag: string): string {
  const stem =
    file
      .replace(/\.[^.]*$/, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .slice(0, 40) || "manifest";
  const hash = createHash("sha256").update(`${file}\n${etag}`).digest("hex").slice(0, 12);
  return `${stem}-${hash}`;
}

/** The job id of a row that names none: its manifest's id and its line, at most 60 characters. */
export function rowJobId(manifestId: string, line: number): string {
  return `${manifestId}-L${line}`;
}

/** Every key one manifest's import reads or writes, all under `imports/` (the only prefix it may touch). */
export function importKeys(manifestId: string, file: string) {
  const work = `${IMPORTS_PREFIX}work/${manifestId}/`;
  return {
    processing: `${IMPORTS_PREFIX}processing/${manifestId}/${file}`,
    jobs: `${work}jobs.jsonl`,
    rejected: `${work}rejected.jsonl`,
    results: `${work}results`,
    report: `${IMPORTS_PREFIX}reports/${manifestId}/${file}.report.jsonl`,
    summary: `${IMPORTS_PREFIX}reports/${manifestId}/${file}.summary.json`,
    done: `${IMPORTS_PREFIX}done/${manifestId}/${file}`,
  };
}
