import type { Job, VidoriJob } from "../pipeline/jobSpec";
import { MAX_ASSETS_PER_REQUEST } from "../providers/vidori/VidoriClient";
import type { ManifestRow, RejectedRow } from "./manifestRows";

/** One pipeline execution to start: the job, and the manifest lines it stands for (several for Vidori). */
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
  job: VidoriJob;
}

/**
 * Turns manifest rows into jobs. A Vidori row with one source and no job id of its own joins the open group of
 * rows with the same Vidori options; a group of `groupSize` (one Vidori request) becomes one job. Every other
 * row is a job of its own. Memory holds only the open groups: one per distinct set of Vidori options.
 */
export async function planManifest(
  rows: AsyncIterable<ManifestRow>,
  sinks: PlanSinks,
  groupSize: number = MAX_ASSETS_PER_REQUEST,
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
    if (job.provider !== "vidori" || row.namedJobId || job.sources.length !== 1) {
      await emit({ lines: [row.line], job });
      continue;
    }
    const key = JSON.stringify(job.vidori);
    // One row is one asset: the row's title names its asset, not the whole group.
    const source = { ...job.sources[0], ...(job.title === undefined ? {} : { title: job.title }) };
    const open = groups.get(key);
    if (open === undefined) {
      const { title: _rowTitle, ...first } = job;
      groups.set(key, { lines: [row.line], job: { ...first, sources: [source] } });
    } else {
      open.lines.push(row.line);
      open.job.sources.push(source);
    }
    const group = groups.get(key) as OpenGroup;
    if (group.lines.length >= groupSize) {
      groups.delete(key);
      await emit(group);
    }
  }
  for (const group of [...groups.values()].sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0))) {
    await emit(group);
  }
  return counts;
}
