import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { checkS3Sources } from "../../pipeline/checkS3Sources";
import { fileNameOf, type JobOf, jobFor, onlySource, titleOf } from "../../pipeline/jobSpec";
import { sourceUrlFor } from "../../pipeline/presignedSourceUrl";
import { sourceReader } from "../../pipeline/sourceReader";
import { type SliceAnswer, stageOutput, stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderOutcomeUnknownError } from "../core/errors";
import type { ViostreamDependencies } from "./dependencies";
import type { ViostreamClient } from "./ViostreamClient";

/** The formats Viostream's import documents; anything else goes as mp4, its recommended format. */
const SUPPORTED_EXTENSIONS = new Set(["mp4", "mov", "avi", "wmv", "mkv", "webm", "3gp"]);

/**
 * The ingest Viostream runs for the job; no ingestId when an earlier attempt's media was found, or when the
 * create's answer was lost (`createAnswerLost`), in which case the wait looks the media up by reference id.
 */
export interface ViostreamIngestAnswer extends SliceAnswer {
  referenceId: string;
  ingestId?: string;
  createAnswerLost?: true;
}

/** The ingest as the later stages read it back from `progress.create`. */
export const ingested = stageOutput(
  z
    .object({
      referenceId: z.string(),
      ingestId: z.string().optional(),
      createAnswerLost: z.boolean().optional(),
    })
    .loose(),
);

/** The reference id Viostream keeps for a job: derived from the job, so every retry finds the same media. */
export function referenceIdFor(jobId: string): string {
  return `vidstep-${jobId}`;
}

/**
 * Starts Viostream's ingest of the job's source (an S3 object as a presigned GET). The media is looked up
 * by the job's reference id first, so a rerun finds what an earlier attempt created; a new ingest's
 * source is checked first (exists, not empty, a readable container); a create whose answer is lost is never
 * sent again, it is looked for by the wait stage.
 */
export async function ingest(
  viostream: ViostreamClient,
  s3: S3Client,
  job: JobOf<"viostream">,
): Promise<ViostreamIngestAnswer> {
  const referenceId = referenceIdFor(job.jobId);
  if (await viostream.findMediaByReferenceId(referenceId)) return { done: true, referenceId };
  await checkS3Sources(job.sources, sourceReader(s3));
  const source = onlySource(job);
  const extension = (fileNameOf(source) ?? "").split(".").pop()?.toLowerCase() ?? "";
  const request = {
    sourceUrl: await sourceUrlFor(s3, source, "sources.0.url"),
    filename: job.viostream.filename ?? titleOf(job),
    extension: SUPPORTED_EXTENSIONS.has(extension) ? extension : "mp4",
    referenceId,
  };
  try {
    const { ingestId } = await viostream.createIngest(request);
    return { done: true, referenceId, ingestId };
  } catch (error) {
    // Not sent again: Viostream lists a media only once it has read the source, so a lookup right after a
    // lost create can miss it and a second create would ingest twice. The wait stage looks it up instead,
    // with its growing poll delay, until it is listed or a bounded number of lookups found nothing.
    if (error instanceof ProviderOutcomeUnknownError)
      return { done: true, referenceId, createAnswerLost: true };
    throw error;
  }
}

const event = stepEventSchema({});

/** Stage `create`: media/new from the source URL, under the job's reference id. */
export const ingestStep: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.ingest",
  event,
  run: ({ job }, { dependencies }) =>
    ingest(dependencies.viostream, dependencies.s3, jobFor(job, "viostream")),
};
