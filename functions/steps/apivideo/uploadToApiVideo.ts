import { checkS3Sources } from "../../pipeline/checkS3Sources";
import { type ApiVideoJob, onlySource, titleOf } from "../../pipeline/jobSpec";
import { vetOutboundUrl } from "../../pipeline/outbound/vetOutboundUrl";
import type { SourceReader } from "../../pipeline/sourceReader";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";
import { ProviderOutcomeUnknownError, ProviderUnavailableError } from "../../providers/core/errors";

const MIB = 1024 * 1024;

/** Where an upload to api.video stands after one slice. */
export interface ApiVideoUploadProgress extends SliceAnswer {
  videoId: string;
  /** Bytes of the S3 object already sent; the next slice starts here. */
  nextOffset: number;
  totalBytes?: number;
}

export interface UploadToApiVideoDependencies {
  apiVideo: ApiVideoClient;
  reader: Pick<SourceReader, "byteSource">;
}

/**
 * Gets the job's video into api.video: a URL source is handed over for api.video to pull; an S3 object is
 * streamed in chunks, resuming where the previous slice stopped. The video is looked up by job id before
 * one is created, so a retried step never makes a second video. The first slice checks the S3 source
 * before api.video hears of the job.
 */
export async function uploadToApiVideo(
  job: ApiVideoJob,
  previous: ApiVideoUploadProgress | undefined,
  dependencies: UploadToApiVideoDependencies,
  hasTimeLeft: () => boolean,
): Promise<ApiVideoUploadProgress> {
  const { apiVideo, reader } = dependencies;
  if (previous === undefined) await checkS3Sources(job.sources, reader);
  const videoId =
    previous?.videoId ??
    (await apiVideo.findVideoByJobId(job.jobId))?.videoId ??
    (await createVideo(apiVideo, job));
  if (onlySource(job).url !== undefined) return { done: true, videoId, nextOffset: 0 };

  const source = await reader.byteSource(onlySource(job));
  const sent = await apiVideo.uploadSource(videoId, source, {
    chunkSizeBytes: job.apivideo.chunkSizeMiB * MIB,
    fromOffset: previous?.nextOffset ?? 0,
    shouldContinue: hasTimeLeft,
  });
  return { done: sent.done, videoId, nextOffset: sent.nextOffset, totalBytes: source.size };
}

async function createVideo(apiVideo: ApiVideoClient, job: ApiVideoJob): Promise<string> {
  const { url } = onlySource(job);
  // api.video pulls a URL source itself: it is checked as if we fetched it.
  if (url !== undefined) await vetOutboundUrl(url, "sources.0.url");
  try {
    const video = await apiVideo.createVideo({
      jobId: job.jobId,
      title: titleOf(job),
      ...(url === undefined ? {} : { source: url }),
      tags: job.apivideo.tags,
      public: job.apivideo.public,
      mp4Support: job.apivideo.mp4Support,
    });
    return video.videoId;
  } catch (error) {
    // Safe to retry here, unlike a blind create: the retry looks the video up by job id before creating.
    if (error instanceof ProviderOutcomeUnknownError) {
      throw new ProviderUnavailableError(`${error.message}; the retry looks it up by job id first`, {
        provider: error.provider,
        operation: error.operation,
        cause: error,
      });
    }
    throw error;
  }
}
