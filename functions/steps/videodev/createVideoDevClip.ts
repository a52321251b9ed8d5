import type { VideoDevJob } from "../../pipeline/jobSpec";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import { InvalidInputError } from "../../providers/core/InvalidInputError";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";

/** The clip cut from the imported media. */
export interface VideoDevClipAnswer extends SliceAnswer {
  clipId: string;
  startMs: number;
  endMs: number;
}

/**
 * Cuts the job's clip from the imported media. Without an end the clip runs to the end of the media; an
 * end past it is the user's mistake, reported against the field rather than sent to be refused.
 */
export async function createVideoDevClip(
  videoDev: VideoDevClient,
  job: VideoDevJob,
  mediaId: string,
  mediaDurationMs: number | undefined,
): Promise<VideoDevClipAnswer> {
  const { startMs } = job.videodev.clip;
  const endMs = job.videodev.clip.endMs ?? mediaDurationMs;
  if (endMs === undefined) {
    throw new InvalidInputError("job spec", [
      { field: "videodev.clip.endMs", problem: "is required: video.dev did not report the media's duration" },
    ]);
  }
  if (mediaDurationMs !== undefined && (endMs > mediaDurationMs || startMs >= mediaDurationMs)) {
    const field = startMs >= mediaDurationMs ? "videodev.clip.startMs" : "videodev.clip.endMs";
    throw new InvalidInputError("job spec", [
      {
        field,
        problem: `must lie within the media, which is ${mediaDurationMs} ms long`,
        value: field.endsWith("startMs") ? startMs : endMs,
      },
    ]);
  }
  const clip = await videoDev.createClip({ mediaId, startTimeMs: startMs, endTimeMs: endMs });
  return { done: true, clipId: clip.clip_id, startMs, endMs };
}
