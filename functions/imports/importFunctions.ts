/**
 * The Lambda functions of the batch import state machine (`statemachines/batchImport.asl.json`), shaped like
 * the pipeline's catalog so the same construct builds them and the same test checks list and definition agree.
 */
import type { PipelineFunction } from "../catalog";

/** The functions behind the batch import's Task states. */
export const IMPORT_FUNCTIONS = [
  {
    id: "ClaimManifests",
    entry: "functions/handlers/imports/claimManifests.ts",
    description: "Batch import: move new manifests under imports/ to imports/processing/, a few per run",
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  {
    id: "PlanManifest",
    entry: "functions/handlers/imports/planManifest.ts",
    description:
      "Batch import: stream a manifest, validate each row, group batched rows, write jobs and rejections",
    // Streams row by row; the headroom is one 8 MiB upload part per output and the SDK.
    memoryMb: 512,
    timeoutSeconds: 900,
  },
  {
    id: "WriteReport",
    entry: "functions/handlers/imports/writeReport.ts",
    description: "Batch import: merge rejections and the Map Run's results into one report line per row",
    // Holds one small entry per row to write them in line order: ~200 MB at 100,000 rows with results.
    memoryMb: 1769,
    timeoutSeconds: 900,
  },
] as const satisfies readonly PipelineFunction[];

export type ImportFunctionId = (typeof IMPORT_FUNCTIONS)[number]["id"];

/** How many manifests one scheduled run claims; the rest wait for the next run. */
export const MANIFESTS_PER_RUN = 10;
