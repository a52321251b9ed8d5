import type { S3Client } from "@aws-sdk/client-s3";
import { checkS3Sources } from "../../pipeline/checkS3Sources";
import { fileNameOf, onlySource, titleOf, type ViostreamJob } from "../../pipeline/jobSpec";
import { sourceUrlFor } from "../../pipeline/presignedSourceUrl";
import { sourceReader } from "../../pipeline/sourceReader";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { ViostreamClient } from "../../providers/viostream/ViostreamClient";

/** The formats Viostream's import documents; anything else goes as mp4, its recommended format. */
const SUPPORTED_EXTENSIONS = new Set(["mp4", "mov", "avi", "wmv", "mkv", "webm", "3gp"]);

/** The ingest Viostream runs for the job; no ingestId when an earlier attempt's media was found. */
export interface ViostreamIngestAnswer extends SliceAnswer {
  referenceId: string;
  ingestId?: string;
}

/** The reference id Viostream keeps for a job: derived from the job, so every retry finds the same media. */
export function referenceIdFor(jobId: string): string {
  return `vidstep-${jobId}`;
}

/**
 * Starts Viostream's ingest of the job's source (an S3 object as a presigned GET). The media is looked up
 * by the job's reference id first, so a rerun finds what an earlier attempt created; a new ingest's
 * source is checked first (exists, not empty, a readable container).
 */
export async function ingestToViostream(
  viostream: ViostreamClient,
  s3: S3Client,
  job: ViostreamJob,
): Promise<ViostreamIngestAnswer> {
  const referenceId = referenceIdFor(job.jobId);
  if (await viostream.findMediaByReferenceId(referenceId)) return { done: true, referenceId };
  await checkS3Sources(job.sources, sourceReader(s3));
  const source = onlySource(job);
  const extension = (fileNameOf(source) ?? "").split(".").pop()?.toLowerCase() ?? "";
  // A lost answer is not retried (ProviderOutcomeUnknownError is terminal): Viostream lists a media only
  // once it has read the source, so a lookup right after a lost create can miss it and a retry would ingest
  // twice. The lookup above still finds what an earlier, finished attempt made (a redrive, a rerun).
  const { ingestId } = await viostream.createIngest({
    sourceUrl: await sourceUrlFor(s3, source),
    filename: job.viostream.filename ?? titleOf(job),
    extension: SUPPORTED_EXTENSIONS.has(extension) ? extension : "mp4",
    referenceId,
  });
  return { done: true, referenceId, ingestId };
}
