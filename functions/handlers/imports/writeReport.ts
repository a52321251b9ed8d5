import { z } from "zod";
import { type ImportSummary, writeImportReport } from "../../imports/writeImportReport";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ImportDependencies, importDependenciesFromEnvironment } from "./importDependencies";
import { claimedManifestSchema } from "./manifestEvent";

const event = z.object({
  bucket: z.string().min(3),
  manifest: claimedManifestSchema,
  run: z
    .object({
      ResultWriterDetails: z.object({ Bucket: z.string().optional(), Key: z.string().optional() }).optional(),
      Error: z.string().optional(),
      Cause: z.string().optional(),
    })
    .default({}),
});

/** Write report: one line per manifest row, a summary, and the manifest moved to `imports/done/`. */
export const writeReportStep: StepDefinition<typeof event, ImportDependencies, ImportSummary> = {
  operation: "imports.report",
  event,
  run: ({ bucket, manifest, run }, { dependencies }) =>
    writeImportReport(dependencies.s3, bucket, manifest, run),
};

export const handler = createStepHandler(writeReportStep, importDependenciesFromEnvironment);
