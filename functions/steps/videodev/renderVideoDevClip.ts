import type { VideoDevJob } from "../../pipeline/jobSpec";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VideoDevClient } from "../../providers/videodev/VideoDevClient";

/** The render video.dev started. */
export interface VideoDevRenderAnswer extends SliceAnswer {
  renderId: string;
}

/** Starts rendering the clip with the job's crop (aspect ratio, smart crop). */
export async function renderVideoDevClip(
  videoDev: VideoDevClient,
  job: VideoDevJob,
  clipId: string,
): Promise<VideoDevRenderAnswer> {
  const { crop } = job.videodev;
  const render = await videoDev.renderClip({
    clipId,
    crop: { enabled: crop.enabled, aspectRatio: crop.aspectRatio, smartCrop: crop.smartCrop },
  });
  return { done: true, renderId: render.render_id };
}
