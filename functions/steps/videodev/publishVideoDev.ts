import type { VideoDevJob } from "../../pipeline/jobSpec";
import { ProviderProtocolError } from "../../providers/core/errors";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";

/** What a video.dev job hands back: the rendered clip and what video.dev measured of it. */
export interface VideoDevResult {
  status: "succeeded";
  provider: "videodev";
  jobId: string;
  clipId: string;
  renderId: string;
  sourceMediaId?: string;
  mediaId: string;
  mediaUrl: string;
  mediaInfo?: Record<string, unknown>;
  crop: { enabled: boolean; aspectRatio: string; smartCrop: boolean };
}

/** Reads the finished render into the job's result. */
export async function publishVideoDev(
  videoDev: VideoDevClient,
  job: VideoDevJob,
  clipId: string,
  renderId: string,
): Promise<VideoDevResult> {
  const render = await videoDev.getRender(clipId, renderId);
  const rendered = render.rendered_media;
  const sourceMediaId = render.source_clip?.source_media?.media_id;
  if (!rendered?.media_url) {
    throw new ProviderProtocolError(
      `videodev render ${renderId} is complete but names no rendered media URL`,
      {
        provider: "videodev",
        operation: "getRender",
      },
    );
  }
  return {
    status: "succeeded",
    provider: "videodev",
    jobId: job.jobId,
    clipId,
    renderId,
    ...(sourceMediaId ? { sourceMediaId } : {}),
    mediaId: rendered.media_id,
    mediaUrl: rendered.media_url,
    ...(rendered.media_info ? { mediaInfo: { ...rendered.media_info } } : {}),
    crop: { ...job.videodev.crop },
  };
}
