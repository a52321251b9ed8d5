import { fileURLToPath } from "node:url";
import { PIPELINE_DEFINITION_PATH } from "../pipelineDefinition";
import { workflowProviders } from "../workflowProviders";
import { formatJson } from "./formatJson";
import { pipelineBlocks, pipelineWorkflow } from "./pipelineWorkflow";
import { workflowDoc } from "./workflowDoc";

/** Where the generated page about the workflow lives. */
export const WORKFLOW_DOC_PATH = fileURLToPath(new URL("../../docs/workflow.md", import.meta.url));

/** Every file the builder writes, with its text: what `npm run build:asl` writes and the test compares. */
export function workflowFiles(): { path: string; text: string }[] {
  const providers = workflowProviders();
  return [
    { path: PIPELINE_DEFINITION_PATH, text: formatJson(pipelineWorkflow(providers)) },
    { path: WORKFLOW_DOC_PATH, text: workflowDoc(pipelineBlocks(providers), providers) },
  ];
}
