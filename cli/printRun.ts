import type { JobView } from "../functions/jobs/jobStatus";
import { redactRecord, redactString } from "../functions/providers/core/redactRecord";
import type { PipelineOutcome, PipelineProgress } from "../local/LocalPipeline";

/** Prints each step as it happens, with the time since the job started. */
export function progressPrinter(started: number): (progress: PipelineProgress) => void {
  const entries = new Map<string, number>();
  return (progress) => {
    const at = `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
    if (progress.kind === "entered") {
      // Poll loops wait between polls; the count says more than a line per wait.
      if (progress.state.startsWith("Wait before")) return;
      const count = (entries.get(progress.state) ?? 0) + 1;
      entries.set(progress.state, count);
      const suffix = progress.state.startsWith("Poll") ? ` #${count}` : count > 1 ? ` (again, ${count})` : "";
      const label =
        progress.state === "Wait Retry-After"
          ? "rate limited: waiting as the provider asked"
          : progress.state;
      console.log(`  ${at}  ${label}${suffix}`);
    } else if (progress.kind === "retried") {
      console.log(`  ${at}  ↻ retrying ${progress.state} (${progress.detail})`);
    } else if (progress.kind === "caught") {
      console.log(`  ${at}  ! ${progress.state} failed: ${redactString(progress.detail ?? "")}`);
    }
  };
}

/** Prints how a job ended: its result's fields, or its failure record's, redacted. */
export function printOutcome(outcome: PipelineOutcome, elapsedMs: number): void {
  const took = `${(elapsedMs / 1000).toFixed(1)} s`;
  const fields = redactRecord(outcome.status === "succeeded" ? outcome.result : outcome.record);
  const partial = outcome.status === "succeeded" && fields.status === "partial";
  console.log(
    outcome.status === "failed"
      ? `  ✗ failed after ${took}`
      : partial
        ? `  ◐ partly succeeded in ${took}`
        : `  ✓ succeeded in ${took}`,
  );
  const width = Math.max(...Object.keys(fields).map((key) => key.length));
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === "object") {
      console.log(`    ${key.padEnd(width)}`);
      for (const item of value) console.log(`      - ${JSON.stringify(item)}`);
      continue;
    }
    console.log(`    ${key.padEnd(width)}  ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
}

/**
 * A finished job as the API shows it, as the outcome the CLI prints (and `--json` writes); redacted again,
 * since `--api` may point at a deployment older than the redaction.
 */
export function outcomeOf(view: JobView): PipelineOutcome {
  if (view.status === "succeeded")
    return redactRecord({ status: "succeeded", result: (view.result ?? {}) as Record<string, unknown> });
  const record = view.failure ?? { error: view.status, message: `the job ${view.status.replace("_", " ")}` };
  return redactRecord({ status: "failed", error: String(record.error ?? view.status), record });
}
