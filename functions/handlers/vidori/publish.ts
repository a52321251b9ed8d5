import { readJobFileAs } from "../../pipeline/jobFiles";
import { jobFor } from "../../pipeline/jobSpec";
import { keepResultSmall } from "../../pipeline/resultFiles";
import { stepEventSchema } from "../../pipeline/stepEvent";
import type { VidoriAssetOutcome } from "../../providers/vidori/VidoriClient";
import { publishVidori } from "../../steps/vidori/publishVidori";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { imported, outcomes } from "./progressSchemas";

const event = stepEventSchema({ create: imported });

/**
 * Vidori publish: every asset's fate, reported as accepted (Vidori has no status API to wait on). A large
 * catalog's asset list goes to a job file; the job's result file lists every asset.
 */
export const vidoriPublish: StepDefinition<typeof event, undefined, unknown> = {
  operation: "vidori.publish",
  event,
  run: async ({ job, progress }, { jobFiles }) => {
    const files = jobFiles();
    const read = await readJobFileAs(files.s3, progress.create.value.outcomesFile, outcomes);
    const result = publishVidori(jobFor(job, "vidori"), read as VidoriAssetOutcome[]);
    return keepResultSmall({ ...result }, "assets", files, job.jobId);
  },
};

export const handler = createStepHandler(vidoriPublish, async () => undefined);
