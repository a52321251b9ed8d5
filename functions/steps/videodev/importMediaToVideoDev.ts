import type { S3Client } from "@aws-sdk/client-s3";
import { onlySource, type VideoDevJob } from "../../pipeline/jobSpec";
import { sourceUrlFor } from "../../pipeline/presignedSourceUrl";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";

/** The media video.dev is importing for the job. */
export interface VideoDevImportAnswer extends SliceAnswer {
  mediaId: string;
}

/** Asks video.dev to pull the job's source; an S3 object goes as a presigned GET, so no bytes pass through Lambda. */
export async function importMediaToVideoDev(
  videoDev: VideoDevClient,
  s3: S3Client,
  job: VideoDevJob,
): Promise<VideoDevImportAnswer> {
  const media = await videoDev.importMedia({ sourceMediaUrl: await sourceUrlFor(s3, onlySource(job)) });
  return { done: true, mediaId: media.media_id };
}
