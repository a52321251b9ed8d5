import type { Stage } from "../functions/pipeline/stages";
import type { ProviderDescriptor, WaitStage } from "../functions/providers/core/ProviderDescriptor";
import { PROVIDER_DESCRIPTORS } from "../functions/providers/registry";
import type { WorkflowProvider } from "./build/workflowProvider";

/** The providers the workflow is built from: each registry descriptor's plan and webhook waits. */
export function workflowProviders(): WorkflowProvider[] {
  return PROVIDER_DESCRIPTORS.map((descriptor: ProviderDescriptor) => ({
    id: descriptor.id,
    displayName: descriptor.displayName,
    stages: Object.fromEntries(
      Object.entries(descriptor.plan).map(([stage, functionId]) => {
        const callbackFunctionId = descriptor.webhook?.stages[stage as WaitStage];
        return [stage as Stage, { functionId, ...(callbackFunctionId ? { callbackFunctionId } : {}) }];
      }),
    ) as WorkflowProvider["stages"],
    ...(descriptor.workflowNote === undefined ? {} : { note: descriptor.workflowNote }),
  }));
}
