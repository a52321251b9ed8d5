import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import type { ApiVideoClient, ApiVideoStatus } from "../../providers/apivideo/ApiVideoClient";
import { ProviderJobFailedError } from "../../providers/core/errors";

/** What api.video's status answer says about a video's encoding. */
export interface ApiVideoEncodingProgress {
  ingest: string;
  playable: boolean;
  qualities: { quality: string; status: string }[];
}

/** api.video's progress on one video, as the wait loop sees it. */
export interface ApiVideoStatusAnswer extends PollAnswer, ApiVideoEncodingProgress {}

/**
 * Asks api.video how far the video has come. Ready means playable: api.video then serves HLS while the
 * higher qualities go on encoding, which is what a player needs. A failed quality fails the job.
 */
export async function pollApiVideoStatus(
  apiVideo: ApiVideoClient,
  videoId: string,
  poll: number,
): Promise<ApiVideoStatusAnswer> {
  return apiVideoStatusAnswer(videoId, encodingProgressOf(await apiVideo.getStatus(videoId)), poll);
}

/** The parts of `GET /videos/{id}/status` the wait reads. */
export function encodingProgressOf(status: ApiVideoStatus): ApiVideoEncodingProgress {
  return {
    ingest: status.ingest.status,
    playable: status.encoding.playable,
    qualities: status.encoding.qualities,
  };
}

/** The wait loop's answer for a video's encoding progress; the poll and a confirmed webhook both end here. */
export function apiVideoStatusAnswer(
  videoId: string,
  progress: ApiVideoEncodingProgress,
  poll: number,
): ApiVideoStatusAnswer {
  const qualities = progress.qualities.map(({ quality, status }) => ({ quality, status }));
  const failed = qualities.filter((quality) => quality.status === "failed");
  if (failed.length > 0) {
    throw new ProviderJobFailedError(
      `apivideo encoding failed for video ${videoId} (${failed.map((quality) => quality.quality).join(", ")})`,
      { provider: "apivideo", operation: "getStatus" },
    );
  }
  return {
    ready: progress.playable,
    nextPollSeconds: pollDelaySeconds(poll),
    ingest: progress.ingest,
    playable: progress.playable,
    qualities,
  };
}
