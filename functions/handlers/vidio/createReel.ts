import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { createVidioReel } from "../../steps/vidio/createVidioReel";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { uploaded } from "./progressSchemas";
import { type VidioDependencies, vidioDependenciesFromEnvironment } from "./vidioDependencies";

const event = stepEventSchema({ upload: uploaded });

/** VIDIO create: a highlight reel job over the uploaded inputs. */
export const vidioCreateReel: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.createHighlightReel",
  event,
  run: ({ job, progress }, { dependencies }) =>
    createVidioReel(dependencies.vidio, jobFor(job, "vidio"), progress.upload.value),
};

export const handler = createStepHandler(vidioCreateReel, vidioDependenciesFromEnvironment);
