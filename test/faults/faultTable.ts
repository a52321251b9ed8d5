import { LOOKUP_PROVIDERS } from "./faultScenarios";
import type { JobObservation, ScenarioRun } from "./runFaultScenario";
import { masked, type SecretFinding } from "./secretScan";

/** The suite's figures, which the table prints and the test asserts. */
export interface FaultFigures {
  scenarios: number;
  providers: number;
  jobs: number;
  succeeded: number;
  failed: number;
  rejected: number;
  lost: JobObservation[];
  stuck: JobObservation[];
  /** Resources beyond one per job and kind, plus jobs beyond one per source file. */
  duplicated: { where: string; extra: number }[];
  leaked: SecretFinding[];
  /** Jobs that met only transient faults on a provider with lookups, and did not succeed. */
  transientNotSucceeded: JobObservation[];
  /** Jobs that did not end as their scenario declared. */
  unexpected: JobObservation[];
}

/** Adds up the scenario runs and the secret scan. */
export function faultFigures(runs: ScenarioRun[], leaked: SecretFinding[]): FaultFigures {
  const jobs = runs.flatMap((run) => run.jobs);
  const duplicated = runs.flatMap((run) => [
    ...run.resources
      .filter((resource) => resource.count > 1)
      .map((resource) => ({
        where: `${run.scenario.name}: ${resource.provider} ${resource.kind} for ${resource.file}`,
        extra: resource.count - 1,
      })),
    ...run.extraJobs.map((extra) => ({
      where: `${run.scenario.name}: jobs ${extra.jobIds.join(", ")} for ${extra.file}`,
      extra: extra.jobIds.length - 1,
    })),
  ]);
  return {
    scenarios: runs.length,
    providers: new Set(jobs.map((job) => job.provider)).size,
    jobs: jobs.length,
    succeeded: jobs.filter((job) => job.outcome === "succeeded").length,
    failed: jobs.filter((job) => job.outcome === "failed").length,
    rejected: jobs.filter((job) => job.outcome === "rejected").length,
    lost: jobs.filter((job) => job.outcome === "lost"),
    stuck: jobs.filter((job) => job.outcome === "stuck"),
    duplicated,
    leaked,
    transientNotSucceeded: jobs.filter(
      (job) => job.transient && LOOKUP_PROVIDERS.includes(job.provider) && job.outcome !== "succeeded",
    ),
    unexpected: jobs.filter((job) => !asExpected(job)),
  };
}

/** Whether a job ended as its scenario declared: the status, and for a failure or refusal the error. */
export function asExpected(job: JobObservation): boolean {
  if (job.outcome !== job.expected.status) return false;
  return job.expected.status === "succeeded" || job.error === job.expected.error;
}

/** The table: the figures, then failures grouped by provider, step, error and message, then each scenario. */
export function faultTable(runs: ScenarioRun[], figures: FaultFigures): string {
  const duplicatedTotal = figures.duplicated.reduce((sum, entry) => sum + entry.extra, 0);
  const lines = [
    "# Fault suite",
    "",
    `${figures.scenarios} scenarios, ${figures.providers} providers, real state machine, simulators on 127.0.0.1.`,
    "",
    "| jobs | succeeded | failed | refused at submission | lost | stuck | duplicated resources | secrets leaked | not as declared | transient on lookup providers, not succeeded |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${figures.jobs} | ${figures.succeeded} | ${figures.failed} | ${figures.rejected} | ${figures.lost.length} | ${figures.stuck.length} | ${duplicatedTotal} | ${figures.leaked.length} | ${figures.unexpected.length} | ${figures.transientNotSucceeded.length} |`,
    "",
    "## Failures and refusals, grouped",
    "",
    "| provider | step | error | message | jobs | scenarios | as declared |",
    "| --- | --- | --- | --- | ---: | --- | --- |",
    ...groupedFailures(runs.flatMap((run) => run.jobs)),
    "",
    "## Scenarios",
    "",
    "| scenario | fault | jobs | declared | as declared | outcomes |",
    "| --- | --- | ---: | --- | ---: | --- |",
    ...runs.map((run) => scenarioRow(run)),
  ];
  if (figures.duplicated.length > 0) {
    lines.push("", "## Duplicated provider resources", "");
    for (const entry of figures.duplicated) lines.push(`- ${entry.where}: ${entry.extra} extra`);
  }
  if (figures.leaked.length > 0) {
    lines.push(
      "",
      "## Secrets found",
      "",
      "| kind | where | count | first excerpt |",
      "| --- | --- | ---: | --- |",
    );
    const groups = new Map<string, SecretFinding[]>();
    for (const finding of figures.leaked) {
      const key = `${finding.kind}\u0000${finding.where.replace(/: .*$/, "")}: ${kindOfOutput(finding.where)}`;
      groups.set(key, [...(groups.get(key) ?? []), finding]);
    }
    for (const [key, findings] of groups) {
      const [kind, where] = key.split("\u0000");
      lines.push(`| ${kind} | ${where} | ${findings.length} | ${cell(findings[0]?.excerpt ?? "", 160)} |`);
    }
  }
  for (const [title, jobs] of [
    ["Lost", figures.lost],
    ["Stuck past the deadline", figures.stuck],
  ] as const) {
    if (jobs.length === 0) continue;
    lines.push("", `## ${title}`, "");
    for (const job of jobs)
      lines.push(
        masked(
          `- ${job.scenario}: ${job.provider} ${job.jobId ?? job.file} ${job.step ?? ""} ${job.message ?? ""}`,
        ),
      );
  }
  return `${lines.join("\n")}\n`;
}

function groupedFailures(jobs: JobObservation[]): string[] {
  const groups = new Map<string, JobObservation[]>();
  for (const job of jobs) {
    if (job.outcome !== "failed" && job.outcome !== "rejected") continue;
    const message = normalise(masked(job.message ?? ""));
    const key = [job.provider, job.step ?? "(submission)", job.error ?? "?", message].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => {
      const [provider, step, error, message] = key.split("\u0000");
      const scenarios = [...new Set(group.map((job) => job.scenario))].join(", ");
      const declared = group.every(asExpected) ? "yes" : group.some(asExpected) ? "some" : "no";
      return `| ${provider} | ${step} | ${error} | ${cell(message ?? "", 140)} | ${group.length} | ${scenarios} | ${declared} |`;
    });
}

function scenarioRow(run: ScenarioRun): string {
  const counts = new Map<string, number>();
  for (const job of run.jobs) {
    const label =
      job.outcome === "failed" || job.outcome === "rejected" ? `${job.outcome} ${job.error}` : job.outcome;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const declared = [
    ...new Set(run.scenario.providers.map((provider) => describe(run.scenario.expected(provider)))),
  ];
  const ok = run.jobs.filter(asExpected).length;
  const redrives = new Map<number, number>();
  for (const status of run.jobs.flatMap((job) => job.redrives))
    redrives.set(status, (redrives.get(status) ?? 0) + 1);
  const redriven = [...redrives.entries()].map(([status, count]) => `redrive HTTP ${status} ×${count}`);
  const outcomes = [...[...counts.entries()].map(([label, count]) => `${count} ${label}`), ...redriven].join(
    "; ",
  );
  return `| ${run.scenario.name} | ${cell(run.scenario.fault, 90)} | ${run.jobs.length} | ${declared.join(" / ")} | ${ok}/${run.jobs.length} | ${outcomes} |`;
}

function describe(expected: JobObservation["expected"]): string {
  return expected.status === "succeeded" ? "succeed" : `${expected.status} ${expected.error}`;
}

/** Job ids, provider ids, URLs and numbers vary per job; grouping needs the message without them. */
function normalise(message: string): string {
  return message
    .replace(/https?:\/\/[^\s"')]+/g, "<url>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/\b(vi|md|cl|rn|job_|in_)[A-Za-z0-9]{8,}\b/g, "<id>")
    .replace(/[a-z0-9-]+-(apivideo|videodev|vidio|vidori|viostream)-\d+(\.mp4)?/g, "<job>")
    .replace(/(?<![A-Za-z])\d+/g, "N");
}

function kindOfOutput(where: string): string {
  const what = where.slice(where.indexOf(": ") + 2);
  if (what.startsWith("results/")) return "results/*.json";
  if (what.startsWith("GET /jobs")) return "GET /jobs/{id}";
  if (what.startsWith("POST /jobs")) return "POST /jobs answers";
  return what;
}

function cell(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").replace(/\|/g, "\\|");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
