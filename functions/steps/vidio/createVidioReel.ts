import type { VidioJob } from "../../pipeline/jobSpec";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VidioClient } from "../../providers/vidio/VidioClient";

/** The highlight reel job VIDIO started. */
export interface VidioReelAnswer extends SliceAnswer {
  vidioJobId: string;
}

/** Asks VIDIO for a highlight reel of the uploaded inputs, in the order of the job's sources. */
export async function createVidioReel(
  vidio: VidioClient,
  job: VidioJob,
  uploads: { inputKeys: string[]; outputLengthSeconds: number },
): Promise<VidioReelAnswer> {
  const reel = await vidio.createHighlightReel({
    inputKeys: uploads.inputKeys,
    videoCategory: job.vidio.videoCategory,
    outputLengthSeconds: uploads.outputLengthSeconds,
    aspectRatio: job.vidio.aspectRatio,
  });
  return { done: true, vidioJobId: reel.job_id };
}
