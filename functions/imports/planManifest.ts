import type { Job } from "../pipeline/jobSpec";
import type { ProviderDescriptor } from "../providers/core/ProviderDescriptor";
import { descriptorOf } from "../providers/registry";
import type { ManifestRow, RejectedRow } from "./manifestRows";

/** One pipeline execution to start: the job, and the manifest lines it stands for (several when grouped). */
export interface PlannedJob {
  lines: number[];
  job: Job;
}

/** How a manifest was planned. */
export interface PlanCounts {
  rows: number;
  jobs: number;
  rejected: number;
}

/** Where the plan goes, one record at a time (on AWS: JSON Lines objects in S3). */
export interface PlanSinks {
  job: (planned: PlannedJob) => Promise<void>;
  rejected: (row: RejectedRow) => Promise<void>;
}

interface OpenGroup {
  lines: number[];
  job: Job;
  size: number;
}

/**
 * Turns manifest rows into jobs. A row with one source and no job id of its own, for a provider whose
 * descriptor has an `importGroupSize`, joins the open group of rows with the same provider and options; a
 * group of that size (one request of the provider; `groupSize` overrides it) becomes one job. Every other
 * row is a job of its own. Memory holds only the open groups: one per distinct set of options.
 */
export async function planManifest(
  rows: AsyncIterable<ManifestRow>,
  sinks: PlanSinks,
  groupSize?: number,
): Promise<PlanCounts> {
  const counts: PlanCounts = { rows: 0, jobs: 0, rejected: 0 };
  const groups = new Map<string, OpenGroup>();
  const emit = async (planned: PlannedJob) => {
    counts.jobs += 1;
    await sinks.job(planned);
  };
  for await (const row of rows) {
    counts.rows += 1;
    if ("problems" in row) {
      counts.rejected += 1;
      await sinks.rejected(row);
      continue;
    }
    const { job } = row;
    const size = groupSizeOf(job, groupSize);
    if (size === undefined || row.namedJobId || job.sources.length !== 1) {
      await emit({ lines: [row.line], job });
      continue;
    }
    const key = JSON.stringify([job.provider, (job as Record<string, unknown>)[job.provider]]);
    // One row is one asset: the row's title names its asset, not the whole group.
    const source = { ...job.sources[0], ...(job.title === undefined ? {} : { title: job.title }) };
    const open = groups.get(key);
    if (open === undefined) {
      const { title: _rowTitle, ...first } = job;
      groups.set(key, { lines: [row.line], job: { ...first, sources: [source] } as Job, size });
    } else {
      open.lines.push(row.line);
      open.job.sources.push(source);
    }
    const group = groups.get(key) as OpenGroup;
    if (group.lines.length >= group.size) {
      groups.delete(key);
      await emit({ lines: group.lines, job: group.job });
    }
  }
  for (const group of [...groups.values()].sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0))) {
    await emit({ lines: group.lines, job: group.job });
  }
  return counts;
}

/** How many rows of the job's provider make one job; undefined where each row is a job of its own. */
function groupSizeOf(job: Job, override: number | undefined): number | undefined {
  const { importGroupSize }: ProviderDescriptor = descriptorOf(job.provider);
  return importGroupSize === undefined ? undefined : (override ?? importGroupSize);
}
