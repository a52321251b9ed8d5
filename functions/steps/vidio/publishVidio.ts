import type { VidioJob } from "../../pipeline/jobSpec";
import { ProviderProtocolError } from "../../providers/core/errors";
import type { VidioClient } from "../../providers/vidio/VidioClient";

/** What a VIDIO job hands back: the rendered highlight reel and what it was made of. */
export interface VidioResult {
  status: "succeeded";
  provider: "vidio";
  jobId: string;
  vidioJobId: string;
  outputUrl: string;
  outputLengthSeconds: number;
  inputs: number;
  inputSeconds: number;
  videoCategory: string;
  aspectRatio: string;
}

/** Reads the finished render's output URL into the job's result. */
export async function publishVidio(
  vidio: VidioClient,
  job: VidioJob,
  vidioJobId: string,
  uploads: { outputLengthSeconds: number; totalSeconds: number; uploaded: number },
): Promise<VidioResult> {
  const render = await vidio.getRender(vidioJobId);
  if (!render.output_url) {
    throw new ProviderProtocolError(`vidio render of ${vidioJobId} is complete but names no output URL`, {
      provider: "vidio",
      operation: "getRender",
    });
  }
  return {
    status: "succeeded",
    provider: "vidio",
    jobId: job.jobId,
    vidioJobId,
    outputUrl: render.output_url,
    outputLengthSeconds: uploads.outputLengthSeconds,
    inputs: uploads.uploaded,
    inputSeconds: uploads.totalSeconds,
    videoCategory: job.vidio.videoCategory,
    aspectRatio: job.vidio.aspectRatio,
  };
}
