import type { S3Client } from "@aws-sdk/client-s3";
import { inlineResultFiles } from "../pipeline/resultFiles";
import { redactRecord } from "../providers/core/redactRecord";
import { asObject } from "../steps/recordFailure";
import type { ClaimedManifest } from "./claimManifests";
import { importKeys } from "./manifestFiles";
import type { RejectedRow } from "./manifestRows";
import { numberedLines } from "./numberedLines";
import type { PlannedJob } from "./planManifest";
import { entriesOfOutcome, outcomeOfResultRecord, type ReportEntry } from "./reportEntries";
import { S3JsonLinesWriter } from "./S3JsonLinesWriter";
import { moveObject, objectChunksIfAny, readJsonObject, writeJsonObject } from "./s3Objects";

/** What the Distributed Map state returned: where its results are, or (caught) why it failed as a whole. */
export interface MapRunOutput {
  ResultWriterDetails?: { Bucket?: string; Key?: string };
  Error?: string;
  Cause?: string;
}

/** The counts of one imported manifest, written beside its report. */
export interface ImportSummary {
  manifestId: string;
  file: string;
  rows: number;
  succeeded: number;
  failed: number;
  rejected: number;
  report: string;
  done: string;
}

/**
 * Writes a manifest's report, one line per row in line order: rejected rows from the plan, every job's
 * outcome from the Map Run's result files, and any planned job without an outcome as failed. Then the summary,
 * and the manifest moves to `imports/done/`. The rows' entries are held to be sorted: about 200 bytes a row.
 */
export async function writeImportReport(
  s3: S3Client,
  bucket: string,
  manifest: ClaimedManifest,
  run: MapRunOutput,
): Promise<ImportSummary> {
  const keys = importKeys(manifest.manifestId, manifest.file);
  const entries = new Map<number, ReportEntry>();
  for await (const row of jsonLines<RejectedRow>(s3, bucket, keys.rejected)) {
    entries.set(row.line, { line: row.line, status: "rejected", problems: row.problems });
  }
  for (const resultKey of await resultFileKeys(s3, bucket, run)) {
    for await (const record of jsonLines<unknown>(s3, bucket, resultKey)) {
      const outcome = outcomeOfResultRecord(record);
      if (!outcome) continue;
      // A large job's output keeps its asset list in a job file; each row's fate is in it.
      if (outcome.status === "succeeded") outcome.result = await inlineResultFiles(outcome.result, s3);
      for (const entry of entriesOfOutcome(outcome)) entries.set(entry.line, entry);
    }
  }
  const missing = run.Error
    ? { error: run.Error, reason: run.Cause ?? "the Map Run failed" }
    : { error: "NoResultError", reason: "the job has no outcome in the Map Run's results" };
  for await (const planned of jsonLines<PlannedJob>(s3, bucket, keys.jobs)) {
    for (const line of planned.lines) {
      if (!entries.has(line))
        entries.set(line, { line, status: "failed", jobId: planned.job.jobId, ...missing });
    }
  }

  const report = new S3JsonLinesWriter(s3, bucket, keys.report);
  const counts = { succeeded: 0, failed: 0, rejected: 0 };
  try {
    for (const line of [...entries.keys()].sort((a, b) => a - b)) {
      const entry = entries.get(line) as ReportEntry;
      counts[entry.status] += 1;
      // A reason quotes a provider's or Step Functions' text: redacted like every other record. Not capped,
      // like a job's result: a row's source is legitimately as long as S3 allows.
      await report.write(redactRecord(entry));
    }
    await report.close();
  } catch (error) {
    await report.abort();
    throw error;
  }
  const summary: ImportSummary = {
    manifestId: manifest.manifestId,
    file: manifest.file,
    rows: entries.size,
    ...counts,
    report: keys.report,
    done: keys.done,
  };
  await writeJsonObject(s3, bucket, keys.summary, summary);
  await moveObject(s3, bucket, manifest.key, keys.done);
  return summary;
}

/**
 * The result files a Map Run wrote, from its `manifest.json`: PENDING (a stopped run), FAILED, then SUCCEEDED,
 * so that a row's succeeded outcome, read last, is the one kept.
 */
async function resultFileKeys(s3: S3Client, bucket: string, run: MapRunOutput): Promise<string[]> {
  const key = run.ResultWriterDetails?.Key;
  if (key === undefined) return [];
  const manifest = asObject(await readJsonObject(s3, run.ResultWriterDetails?.Bucket ?? bucket, key));
  const files = asObject(manifest?.ResultFiles) ?? {};
  return ["PENDING", "FAILED", "SUCCEEDED"].flatMap((status) =>
    Array.isArray(files[status]) ? (files[status] as { Key: string }[]).map((file) => file.Key) : [],
  );
}

/** The values of a JSON Lines object (or of a JSON array file), one at a time; none when it is missing. */
async function* jsonLines<T>(s3: S3Client, bucket: string, key: string): AsyncGenerator<T> {
  let array: string[] | undefined;
  for await (const { text } of numberedLines(objectChunksIfAny(s3, bucket, key))) {
    // Result files are JSON Lines with our WriterConfig; a JSON array (the default) is read whole.
    if (array !== undefined || (text.startsWith("[") && array === undefined && text.trim() !== "[]")) {
      array = [...(array ?? []), text];
      continue;
    }
    if (text.trim() === "" || text.trim() === "[]") continue;
    yield JSON.parse(text) as T;
  }
  if (array !== undefined) for (const value of JSON.parse(array.join("\n")) as T[]) yield value;
}
