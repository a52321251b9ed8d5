import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import type { ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";
import { ProviderJobFailedError } from "../../providers/core/errors";

/** api.video's progress on one video, as the wait loop sees it. */
export interface ApiVideoStatusAnswer extends PollAnswer {
  ingest: string;
  playable: boolean;
  qualities: { quality: string; status: string }[];
}

/**
 * Asks api.video how far the video has come. Ready means playable: api.video then serves HLS while the
 * higher qualities go on encoding, which is what a player needs. A failed quality fails the job.
 */
export async function pollApiVideoStatus(
  apiVideo: ApiVideoClient,
  videoId: string,
  poll: number,
): Promise<ApiVideoStatusAnswer> {
  const status = await apiVideo.getStatus(videoId);
  const qualities = status.encoding.qualities.map(({ quality, status }) => ({ quality, status }));
  const failed = qualities.filter((quality) => quality.status === "failed");
  if (failed.length > 0) {
    throw new ProviderJobFailedError(
      `apivideo encoding failed for video ${videoId} (${failed.map((quality) => quality.quality).join(", ")})`,
      { provider: "apivideo", operation: "getStatus" },
    );
  }
  return {
    ready: status.encoding.playable,
    nextPollSeconds: pollDelaySeconds(poll),
    ingest: status.ingest.status,
    playable: status.encoding.playable,
    qualities,
  };
}
