import { readJobFileAs } from "../../pipeline/jobFiles";
import { jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import type { VidoriAssetOutcome } from "../../providers/vidori/VidoriClient";
import { importToVidori } from "../../steps/vidori/importToVidori";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported, outcomes } from "./progressSchemas";
import { type VidoriDependencies, vidoriDependenciesFromEnvironment } from "./vidoriDependencies";

const event = stepEventSchema({ create: imported.optional() });

/** Vidori import: the next batch of at most 50 assets, one batch per call. */
export const vidoriImportAssets: StepDefinition<typeof event, VidoriDependencies, unknown> = {
  operation: "vidori.import",
  event,
  run: async ({ job, progress }, { dependencies, jobFiles }) => {
    const files = jobFiles();
    const previous = progress.create
      ? ((await readJobFileAs(
          files.s3,
          progress.create.value.outcomesFile,
          outcomes,
        )) as VidoriAssetOutcome[])
      : [];
    return importToVidori(dependencies.vidori, dependencies.s3, files, jobFor(job, "vidori"), previous);
  },
};

export const handler = createStepHandler(vidoriImportAssets, vidoriDependenciesFromEnvironment);
