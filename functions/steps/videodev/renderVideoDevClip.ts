import type { VideoDevJob } from "../../pipeline/jobSpec";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";
import { withCallback } from "./withCallback";

/** The render video.dev started. */
export interface VideoDevRenderAnswer extends SliceAnswer {
  renderId: string;
}

/** Starts rendering the clip with the job's crop (aspect ratio, smart crop); `callbackUrl` as for the import. */
export async function renderVideoDevClip(
  videoDev: VideoDevClient,
  job: VideoDevJob,
  clipId: string,
  callbackUrl?: string,
): Promise<VideoDevRenderAnswer> {
  const { crop } = job.videodev;
  const render = await withCallback(callbackUrl, (webhook) =>
    videoDev.renderClip({
      clipId,
      crop: { enabled: crop.enabled, aspectRatio: crop.aspectRatio, smartCrop: crop.smartCrop },
      ...(webhook ? { webhook } : {}),
    }),
  );
  return { done: true, renderId: render.render_id };
}
