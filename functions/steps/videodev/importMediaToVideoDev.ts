import type { S3Client } from "@aws-sdk/client-s3";
import { checkS3Sources } from "../../pipeline/checkS3Sources";
import { onlySource, type VideoDevJob } from "../../pipeline/jobSpec";
import { sourceUrlFor } from "../../pipeline/presignedSourceUrl";
import { sourceReader } from "../../pipeline/sourceReader";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";
import { withCallback } from "./withCallback";

/** The media video.dev is importing for the job. */
export interface VideoDevImportAnswer extends SliceAnswer {
  mediaId: string;
}

/**
 * Asks video.dev to pull the job's source; an S3 object goes as a presigned GET, so no bytes pass through
 * Lambda; it is checked first (exists, not empty, a readable container). With a `callbackUrl` video.dev calls it when the import ends, so the wait need not poll.
 */
export async function importMediaToVideoDev(
  videoDev: VideoDevClient,
  s3: S3Client,
  job: VideoDevJob,
  callbackUrl?: string,
): Promise<VideoDevImportAnswer> {
  await checkS3Sources(job.sources, sourceReader(s3));
  const sourceMediaUrl = await sourceUrlFor(s3, onlySource(job), "sources.0.url");
  const media = await withCallback(callbackUrl, (webhook) =>
    videoDev.importMedia({ sourceMediaUrl, ...(webhook ? { webhook } : {}) }),
  );
  return { done: true, mediaId: media.media_id };
}
