import { type VideoDevWebhookEvent, webhookEventSchema } from "../providers/videodev/schemas";
import { videoDevMediaAnswer } from "../steps/videodev/pollVideoDevMedia";
import { videoDevRenderAnswer } from "../steps/videodev/pollVideoDevRender";
import type { CallbackOutcome } from "./CallbackOutcome";
import { outcomeOf } from "./CallbackOutcome";
import type { CallbackRecord } from "./CallbackRegistry";
import type { CallbackSource } from "./CallbackSource";

/** video.dev's import and render events: each is the final word on its media or render. */
export const videoDevCallbackSource: CallbackSource<VideoDevWebhookEvent> = {
  provider: "videodev",
  event: webhookEventSchema,
  subjectOf: (event) => ("render_id" in event.body ? event.body.render_id : event.body.media_id),
  terminal: () => true,
  outcome: videoDevOutcome,
};

function videoDevOutcome(event: VideoDevWebhookEvent, record: CallbackRecord): CallbackOutcome {
  const { ids, stage } = record;
  if (stage === "awaitUpload" && "media_id" in event.body) {
    const media = event.body;
    return outcomeOf(stage, () => videoDevMediaAnswer(ids.mediaId ?? media.media_id, media, 1));
  }
  if (stage === "awaitRender" && "render_id" in event.body) {
    const render = event.body;
    return outcomeOf(stage, () =>
      videoDevRenderAnswer(ids.clipId ?? "unknown", ids.renderId ?? render.render_id, render, 1),
    );
  }
  // An event of the other kind under this wait's URL says nothing about it: keep waiting.
  return { kind: "progress" };
}
