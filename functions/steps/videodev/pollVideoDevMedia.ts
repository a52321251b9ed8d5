import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../../providers/core/errors";
import type { VideoDevClient, VideoDevMedia } from "../../providers/videodev/VideoDevClient";

/** An imported media's state, and its length once video.dev has measured it. */
export interface VideoDevMediaAnswer extends PollAnswer {
  status: string;
  durationMs?: number;
}

/** Asks video.dev whether the imported media is ready to clip; an import error fails the job. */
export async function pollVideoDevMedia(
  videoDev: VideoDevClient,
  mediaId: string,
  poll: number,
): Promise<VideoDevMediaAnswer> {
  return videoDevMediaAnswer(mediaId, await videoDev.getMedia(mediaId), poll);
}

/** The wait loop's answer for an imported media, whether read by a poll or delivered by a webhook. */
export function videoDevMediaAnswer(
  mediaId: string,
  media: VideoDevMedia,
  poll: number,
): VideoDevMediaAnswer {
  if (media.status === "error") {
    throw new ProviderJobFailedError(
      `videodev could not import media ${mediaId}: ${media.error ?? "no reason given"}`,
      {
        provider: "videodev",
        operation: "getMedia",
      },
    );
  }
  const durationMs = media.media_info?.duration_ms;
  return {
    ready: media.status === "complete",
    nextPollSeconds: pollDelaySeconds(poll),
    status: media.status,
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}
