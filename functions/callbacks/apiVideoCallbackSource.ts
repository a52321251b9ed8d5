import { type QualityCompletedEvent, qualityCompletedEventSchema } from "../providers/apivideo/schemas";
import { apiVideoStatusAnswer } from "../steps/apivideo/pollApiVideoStatus";
import { outcomeOf } from "./CallbackOutcome";
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
  outcome: (event, record) =>
    outcomeOf(record.stage, () =>
      apiVideoStatusAnswer(
        event.videoId,
        {
          // A rendition is only encoded after ingest has finished.
          ingest: "ingested",
          playable: event.encoding === "hls",
          qualities: [{ quality: event.quality, status: "encoded" }],
        },
        1,
      ),
    ),
};
