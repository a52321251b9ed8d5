import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { createVidioReel } from "../../steps/vidio/createVidioReel";
import { readVidioInputs } from "../../steps/vidio/uploadToVidio";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { uploaded } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ upload: uploaded });

/** VIDIO create: a highlight reel job over the uploaded inputs. */
export const vidioCreateReel: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.createHighlightReel",
  event,
  run: async ({ job, progress }, { dependencies, jobFiles }) => {
    const { inputKeys } = await readVidioInputs(jobFiles().s3, progress.upload.value);
    return createVidioReel(dependencies.vidio, jobFor(job, "vidio"), {
      inputKeys,
      outputLengthSeconds: progress.upload.value.outputLengthSeconds,
    });
  },
};

export const handler = createStepHandler(vidioCreateReel, vidioDependenciesFromEnvironment);
