import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { uploadToVidio } from "../../steps/vidio/uploadToVidio";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { uploaded } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ upload: uploaded.optional() });

/** VIDIO upload: checks every input's duration, then streams the inputs to VIDIO in order, in slices. */
export const vidioUpload: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.upload",
  event,
  run: ({ job, progress }, { dependencies, hasTimeLeft, jobFiles }) =>
    uploadToVidio(
      jobFor(job, "vidio"),
      progress.upload?.value,
      { ...dependencies, files: jobFiles() },
      hasTimeLeft,
    ),
};

export const handler = createStepHandler(vidioUpload, vidioDependenciesFromEnvironment);
