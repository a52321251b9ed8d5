import type { FieldProblem } from "../providers/core/InvalidInputError";
import { asObject, parseJson } from "../steps/recordFailure";

/** What one child of the Distributed Map handed back: the pipeline's result, or how it failed. */
export type JobOutcome =
  | { lines: number[]; jobId: string; status: "succeeded"; result: unknown }
  | { lines: number[]; jobId: string; status: "failed"; error: string; cause?: string };

/** One manifest row's fate, as one line of the report. */
export type ReportEntry =
  | { line: number; status: "rejected"; problems: FieldProblem[] }
  | { line: number; status: "failed"; jobId?: string; error: string; reason: string }
  | { line: number; status: "succeeded"; jobId: string; result: unknown };

/**
 * Reads one record of the Map Run's result files. With `Transformation: COMPACT` a succeeded child's record
 * is our outcome itself; a child that failed anyway is kept whole (Input and Error/Cause as Step Functions
 * wrote them), and its lines are read back from its input.
 */
export function outcomeOfResultRecord(record: unknown): JobOutcome | undefined {
  const value = asObject(record);
  if (value === undefined) return undefined;
  if (Array.isArray(value.lines) && typeof value.status === "string") return value as unknown as JobOutcome;
  if (typeof value.Status !== "string") return undefined;
  const output = asObject(parseJson(value.Output) ?? value.Output);
  if (value.Status === "SUCCEEDED" && output && Array.isArray(output.lines)) {
    return output as unknown as JobOutcome;
  }
  const input = asObject(parseJson(value.Input) ?? value.Input);
  const lines = Array.isArray(input?.lines) ? (input.lines as number[]) : [];
  const jobId = String(asObject(input?.job)?.jobId ?? "");
  return {
    lines,
    jobId,
    status: "failed",
    error: typeof value.Error === "string" ? value.Error : `ChildExecution${value.Status}`,
    ...(typeof value.Cause === "string" ? { cause: value.Cause } : {}),
  };
}

/**
 * The report lines of one job: one per manifest line. A grouped job's result lists each asset by its index in
 * the job's sources, which is the index of its line, so each row gets its own asset's fate.
 */
export function entriesOfOutcome(outcome: JobOutcome): ReportEntry[] {
  const { lines, jobId } = outcome;
  if (outcome.status === "failed") {
    const { error, reason } = failureOf(outcome.error, outcome.cause);
    return lines.map((line) => ({ line, status: "failed", jobId, error, reason }));
  }
  const assets = asObject(outcome.result)?.assets;
  if (lines.length > 1 && Array.isArray(assets)) {
    const byIndex = new Map(assets.map((asset) => [asObject(asset)?.index, asObject(asset)]));
    return lines.map((line, index): ReportEntry => {
      const asset = byIndex.get(index);
      if (asset === undefined) {
        return {
          line,
          status: "failed",
          jobId,
          error: "NoResultError",
          reason: "the job's result has no asset for this row",
        };
      }
      if (asset.status === "failed") {
        return { line, status: "failed", jobId, error: "ProviderRejectedError", reason: String(asset.error) };
      }
      return { line, status: "succeeded", jobId, result: asset };
    });
  }
  return lines.map((line) => ({ line, status: "succeeded", jobId, result: outcome.result }));
}

/**
 * The error and a reason a person can act on. `startExecution.sync:2` fails its Task with `States.TaskFailed`
 * and, as Cause, the child execution described as JSON: its own Error, and its Cause, which for the pipeline
 * is a failure record whose `message` says why. Anything else (a start refused, a timeout) is plain text.
 */
export function failureOf(error: string, cause: string | undefined): { error: string; reason: string } {
  const execution = asObject(parseJson(cause));
  if (execution && typeof execution.Error === "string") {
    const record = asObject(parseJson(execution.Cause));
    const reason = typeof record?.message === "string" ? record.message : String(execution.Cause ?? "");
    return { error: execution.Error, reason: reason || "the job's execution failed without a cause" };
  }
  const record = asObject(parseJson(cause));
  if (typeof record?.message === "string") return { error, reason: record.message };
  return { error, reason: cause || "no cause was recorded" };
}
