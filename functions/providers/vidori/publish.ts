import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { readJobFileAs } from "../../pipeline/jobFiles";
import { fileNameOf, type JobOf, jobFor } from "../../pipeline/jobSpec";
import { keepResultSmall } from "../../pipeline/resultFiles";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderRejectedError } from "../core/errors";
import { imported, outcomes } from "./importAssets";
import type { VidoriAssetOutcome } from "./VidoriClient";

/** One asset of the job's result: which source it was and what Vidori made of it. */
export type VidoriAssetResult = VidoriAssetOutcome & { source: string };

/** What a Vidori job hands back: every asset's fate. Vidori documents no status API, so no "ready" here. */
export interface VidoriResult {
  status: "succeeded" | "partial";
  provider: "vidori";
  jobId: string;
  accepted: number;
  failed: number;
  note: string;
  assets: VidoriAssetResult[];
}

/**
 * Reports the import honestly: accepted means Vidori took the asset for processing, not that it is
 * playable. Some refused is a partial result that still lists every asset; all refused fails the job.
 */
export function publish(job: JobOf<"vidori">, outcomes: VidoriAssetOutcome[]): VidoriResult {
  const assets = outcomes.map((outcome) => ({ ...outcome, source: describe(job, outcome.index) }));
  const failed = assets.filter((asset) => asset.status === "failed");
  if (failed.length === assets.length) {
    const reasons = failed
      .slice(0, 5)
      .map((asset) => `${asset.source}: ${asset.status === "failed" ? asset.error : ""}`)
      .join("; ");
    const field = failed[0]?.status === "failed" ? failed[0].field : undefined;
    throw new ProviderRejectedError(
      `vidori accepted none of the ${assets.length} assets (${reasons})`,
      field,
      {
        provider: "vidori",
        operation: "import",
      },
    );
  }
  return {
    status: failed.length === 0 ? "succeeded" : "partial",
    provider: "vidori",
    jobId: job.jobId,
    accepted: assets.length - failed.length,
    failed: failed.length,
    note: "Vidori documents no status API: accepted assets are processing; follow them in Catalog > On Demand.",
    assets,
  };
}

function describe(job: JobOf<"vidori">, index: number): string {
  const source = job.sources[index];
  if (!source) return `sources.${index}`;
  return source.url !== undefined
    ? `sources.${index} (${fileNameOf(source) ?? source.url})`
    : `sources.${index} (s3://${source.bucket}/${source.key})`;
}

const event = stepEventSchema({ create: imported });

/**
 * Stage `publish`: every asset's fate, reported as accepted (Vidori has no status API to wait on). A large
 * catalog's asset list goes to a job file; the job's result file lists every asset.
 */
export const publishStep: StepDefinition<typeof event, undefined, unknown> = {
  operation: "vidori.publish",
  event,
  run: async ({ job, progress }, { jobFiles }) => {
    const files = jobFiles();
    const read = await readJobFileAs(files.s3, progress.create.value.outcomesFile, outcomes);
    const result = publish(jobFor(job, "vidori"), read as VidoriAssetOutcome[]);
    return keepResultSmall({ ...result }, "assets", files, job.jobId);
  },
};
