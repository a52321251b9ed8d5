import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { type JobOf, jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderProtocolError } from "../core/errors";
import { reel } from "./createReel";
import type { VidioDependencies } from "./dependencies";
import { uploaded } from "./upload";
import type { VidioClient } from "./VidioClient";

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
export async function publish(
  vidio: VidioClient,
  job: JobOf<"vidio">,
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

const event = stepEventSchema({ upload: uploaded, create: reel });

/** Stage `publish`: the rendered reel's output URL. */
export const publishStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publish(
      dependencies.vidio,
      jobFor(job, "vidio"),
      progress.create.value.vidioJobId,
      progress.upload.value,
    ),
};
