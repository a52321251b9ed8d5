import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { importToVidori } from "../../steps/vidori/importToVidori";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported } from "./progressSchemas";
import { type VidoriDependencies, vidoriDependenciesFromEnvironment } from "./vidoriDependencies";

const event = stepEventSchema({ create: imported.optional() });

/** Vidori import: the next batch of at most 50 assets, one batch per call. */
export const vidoriImportAssets: StepDefinition<typeof event, VidoriDependencies, unknown> = {
  operation: "vidori.import",
  event,
  run: ({ job, progress }, { dependencies }) =>
    importToVidori(dependencies.vidori, dependencies.s3, jobFor(job, "vidori"), progress.create?.value),
};

export const handler = createStepHandler(vidoriImportAssets, vidoriDependenciesFromEnvironment);
