import { z } from "zod";
import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { type JobOf, jobFor } from "../../pipeline/jobSpec";
import { type SliceAnswer, stageOutput, stepEventSchema } from "../../pipeline/stepEvent";
import type { VidioDependencies } from "./dependencies";
import { readVidioInputs, uploaded } from "./upload";
import type { VidioClient } from "./VidioClient";

/** The highlight reel job VIDIO started. */
export interface VidioReelAnswer extends SliceAnswer {
  vidioJobId: string;
}

/** Asks VIDIO for a highlight reel of the uploaded inputs, in the order of the job's sources. */
export async function createReel(
  vidio: VidioClient,
  job: JobOf<"vidio">,
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

/** The reel job as the later stages read it back from `progress.create`. */
export const reel = stageOutput(z.object({ vidioJobId: z.string() }).loose());

const event = stepEventSchema({ upload: uploaded });

/** Stage `create`: a highlight reel job over the uploaded inputs. */
export const createReelStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.createReel",
  event,
  run: async ({ job, progress }, { dependencies, jobFiles }) => {
    const { inputKeys } = await readVidioInputs(jobFiles().s3, progress.upload.value);
    return createReel(dependencies.vidio, jobFor(job, "vidio"), {
      inputKeys,
      outputLengthSeconds: progress.upload.value.outputLengthSeconds,
    });
  },
};
