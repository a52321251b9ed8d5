import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../../providers/core/errors";
import type { VideoDevClient, VideoDevRender } from "../../providers/videodev/VideoDevClient";

/** A render's state as the wait loop sees it. */
export interface VideoDevRenderStatusAnswer extends PollAnswer {
  status: string;
}

/** Asks video.dev how the render is going; a render error fails the job. */
export async function pollVideoDevRender(
  videoDev: VideoDevClient,
  clipId: string,
  renderId: string,
  poll: number,
): Promise<VideoDevRenderStatusAnswer> {
  return videoDevRenderAnswer(clipId, renderId, await videoDev.getRender(clipId, renderId), poll);
}

/** The wait loop's answer for a render, whether read by a poll or delivered by a webhook. */
export function videoDevRenderAnswer(
  clipId: string,
  renderId: string,
  render: VideoDevRender,
  poll: number,
): VideoDevRenderStatusAnswer {
  if (render.status === "error" || render.rendered_media?.status === "error") {
    const reason = render.error ?? render.rendered_media?.error ?? "video.dev gave no reason";
    throw new ProviderJobFailedError(`videodev render ${renderId} of clip ${clipId} failed: ${reason}`, {
      provider: "videodev",
      operation: "getRender",
    });
  }
  const ready = render.status === "complete" && render.rendered_media?.status === "complete";
  return { ready, nextPollSeconds: pollDelaySeconds(poll), status: render.status };
}
