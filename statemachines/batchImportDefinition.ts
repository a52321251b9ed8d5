import { fileURLToPath } from "node:url";
import { loadDefinition } from "./pipelineDefinition";

/** The batch import workflow, deployed by CDK and run (transformed) by the local runtime and the tests. */
export const BATCH_IMPORT_DEFINITION_PATH = fileURLToPath(new URL("./batchImport.asl.json", import.meta.url));

/** The placeholder for the pipeline state machine's ARN, which each job's child execution starts. */
export const PIPELINE_ARN_PLACEHOLDER = "PipelineStateMachineArn";

/** The placeholder for the bucket that holds `imports/`. */
export const BUCKET_NAME_PLACEHOLDER = "BucketName";

/** The batch import definition with its placeholders substituted. */
export function loadBatchImportDefinition(substitutions: Record<string, string>): Record<string, unknown> {
  return loadDefinition(BATCH_IMPORT_DEFINITION_PATH, substitutions);
}
