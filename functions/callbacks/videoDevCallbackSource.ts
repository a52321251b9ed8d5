import { type VideoDevWebhookEvent, webhookEventSchema } from "../providers/videodev/schemas";
import type { VideoDevClient } from "../providers/videodev/VideoDevClient";
import { videoDevMediaAnswer } from "../steps/videodev/pollVideoDevMedia";
import { videoDevRenderAnswer } from "../steps/videodev/pollVideoDevRender";
import { type ConfirmOutcome, outcomeOf } from "./CallbackOutcome";
import type { CallbackSource } from "./CallbackSource";

/** video.dev's import and render events: each claims to be the final word on its media or render. */
export const videoDevCallbackSource: CallbackSource<VideoDevWebhookEvent> = {
  provider: "videodev",
  event: webhookEventSchema,
  subjectOf: (event) => ("render_id" in event.body ? event.body.render_id : event.body.media_id),
  terminal: () => true,
};

/**
 * The wait's media (`GET /media/{id}`) or render (`GET /clip/{id}/render/{render_id}`) as video.dev shows
 * it. video.dev does not sign its callbacks: the URL's secret proves who the URL was given to, not what the
 * body says, so an event's `status` or `error` never decides a job.
 */
export function confirmVideoDevOutcome(videoDev: VideoDevClient): ConfirmOutcome {
  return async ({ stage, ids, subjectId }) => {
    if (stage === "awaitRender") {
      const { clipId = "", renderId = subjectId } = ids;
      const render = await videoDev.getRender(clipId, renderId);
      return outcomeOf(stage, () => videoDevRenderAnswer(clipId, renderId, render, 1));
    }
    const mediaId = ids.mediaId ?? subjectId;
    const media = await videoDev.getMedia(mediaId);
    return outcomeOf(stage, () => videoDevMediaAnswer(mediaId, media, 1));
  };
}
