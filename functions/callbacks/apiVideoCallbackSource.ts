import type { ApiVideoClient } from "../providers/apivideo/ApiVideoClient";
import { type QualityCompletedEvent, qualityCompletedEventSchema } from "../providers/apivideo/schemas";
import { apiVideoStatusAnswer, encodingProgressOf } from "../steps/apivideo/pollApiVideoStatus";
import { type ConfirmOutcome, outcomeOf } from "./CallbackOutcome";
import type { CallbackSource } from "./CallbackSource";

/**
 * api.video's `video.encoding.quality.completed`: one event per encoded rendition. An HLS rendition makes
 * the video playable, which is what the poll waits for; an MP4 rendition is progress only.
 */
export const apiVideoCallbackSource: CallbackSource<QualityCompletedEvent> = {
  provider: "apivideo",
  event: qualityCompletedEventSchema,
  subjectOf: (event) => event.videoId,
  terminal: (event) => event.encoding === "hls",
};

/**
 * The wait's video as `GET /videos/{id}/status` shows it. api.video signs its events, so this is not about
 * forgery: it makes both providers' waits end the same way, on the provider's answer, for one cheap GET.
 */
export function confirmApiVideoOutcome(apiVideo: ApiVideoClient): ConfirmOutcome {
  return async ({ stage, ids, subjectId }) => {
    const videoId = ids.videoId ?? subjectId;
    const status = await apiVideo.getStatus(videoId);
    return outcomeOf(stage, () => apiVideoStatusAnswer(videoId, encodingProgressOf(status), 1));
  };
}
