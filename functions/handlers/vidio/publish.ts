import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { publishVidio } from "../../steps/vidio/publishVidio";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { reel, uploaded } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ upload: uploaded, create: reel });

/** VIDIO publish: the rendered reel's output URL. */
export const vidioPublish: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publishVidio(
      dependencies.vidio,
      jobFor(job, "vidio"),
      progress.create.value.vidioJobId,
      progress.upload.value,
    ),
};

export const handler = createStepHandler(vidioPublish, vidioDependenciesFromEnvironment);
