import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { checkS3Sources } from "../../pipeline/checkS3Sources";
import {
  type JobFileRef,
  type JobFiles,
  jobFileRef,
  readJobFileAs,
  writeJobFile,
} from "../../pipeline/jobFiles";
import { type JobOf, type JobSource, jobFor, titleOf } from "../../pipeline/jobSpec";
import { vetOutboundUrl } from "../../pipeline/outbound/vetOutboundUrl";
import { sourceUrlFor } from "../../pipeline/presignedSourceUrl";
import { sourceReader } from "../../pipeline/sourceReader";
import { type SliceAnswer, stageOutput, stepEventSchema } from "../../pipeline/stepEvent";
import type { VidoriDependencies } from "./dependencies";
import {
  MAX_ASSETS_PER_REQUEST,
  type VidoriAssetInput,
  type VidoriAssetOutcome,
  type VidoriClient,
} from "./VidoriClient";

const outcome = z.union([
  z
    .object({
      index: z.number().int(),
      status: z.literal("accepted"),
      assetId: z.string(),
      jobId: z.string(),
      warnings: z.array(z.string()),
    })
    .loose(),
  z
    .object({
      index: z.number().int(),
      status: z.literal("failed"),
      error: z.string(),
      field: z.string().optional(),
    })
    .loose(),
]);

/** Every asset's outcome so far, as the import's job file holds them. */
export const outcomes = z.array(outcome);

/** What the Vidori steps read back: where every asset's outcome so far is kept. */
export const imported = stageOutput(z.object({ outcomesFile: jobFileRef, done: z.boolean() }).loose());

/**
 * Where a catalog import stands. The fate of every asset sent so far, in the order of the job's sources, is
 * in a job file (500 outcomes would crowd the state's 256 KiB); the state keeps the counts and the file.
 */
export interface VidoriImportProgress extends SliceAnswer {
  sent: number;
  accepted: number;
  failed: number;
  outcomesFile: JobFileRef;
}

/**
 * Sends the next batch of at most 50 assets to Vidori. One batch per call: a 429 or a failure then costs
 * a retry of that batch only, and the outcomes of earlier batches are already in the file the state machine's
 * progress names, so nothing accepted is sent twice or lost. `previous` holds the outcomes read back from it.
 * The first call checks every S3 source, so a bad one fails the job before Vidori sees any; each later batch
 * checks its own again just before presigning them, as an object pinned by its ETag alone may have been
 * replaced in between.
 */
export async function importAssets(
  vidori: VidoriClient,
  s3: S3Client,
  files: JobFiles,
  job: JobOf<"vidori">,
  previous: VidoriAssetOutcome[],
): Promise<VidoriImportProgress> {
  const outcomes = [...previous];
  const first = outcomes.length;
  const batch = job.sources.slice(first, first + MAX_ASSETS_PER_REQUEST);
  if (job.vidori.posterUrl !== undefined) await vetOutboundUrl(job.vidori.posterUrl, "vidori.posterUrl");
  const reader = sourceReader(s3);
  if (first === 0) await checkS3Sources(job.sources, reader);
  else await checkS3Sources(batch, reader, first);
  const assets = await Promise.all(batch.map((source, offset) => assetFor(s3, job, source, first + offset)));
  outcomes.push(...(await vidori.importBatch(assets, first)));
  const accepted = outcomes.filter((outcome) => outcome.status === "accepted").length;
  return {
    done: outcomes.length >= job.sources.length,
    sent: outcomes.length,
    accepted,
    failed: outcomes.length - accepted,
    outcomesFile: await writeJobFile(files, job.jobId, "vidori-outcomes", outcomes),
  };
}

async function assetFor(
  s3: S3Client,
  job: JobOf<"vidori">,
  source: JobSource,
  index: number,
): Promise<VidoriAssetInput> {
  const options = job.vidori;
  const url = await sourceUrlFor(s3, source, `sources.${index}.url`);
  const isManifest = source.url !== undefined && /\.(m3u8|mpd)$/i.test(new URL(source.url).pathname);
  return {
    ...(isManifest && options.linkManifests ? { externalUrl: url } : { url }),
    title: titleOf(job, index),
    type: options.type,
    ...(options.description === undefined ? {} : { description: options.description }),
    genres: options.genres,
    tags: options.tags,
    ...(options.productionYear === undefined ? {} : { productionYear: options.productionYear }),
    ...(options.posterUrl === undefined ? {} : { posterUrl: options.posterUrl }),
    contentGroups: options.contentGroups,
  };
}

const event = stepEventSchema({ create: imported.optional() });

/** Stage `create`: the next batch of at most 50 assets, one batch per call. */
export const importAssetsStep: StepDefinition<typeof event, VidoriDependencies, unknown> = {
  operation: "vidori.importAssets",
  event,
  run: async ({ job, progress }, { dependencies, jobFiles }) => {
    const files = jobFiles();
    const previous = progress.create
      ? ((await readJobFileAs(
          files.s3,
          progress.create.value.outcomesFile,
          outcomes,
        )) as VidoriAssetOutcome[])
      : [];
    return importAssets(dependencies.vidori, dependencies.s3, files, jobFor(job, "vidori"), previous);
  },
};
