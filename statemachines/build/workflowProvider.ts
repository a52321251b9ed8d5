import type { PipelineFunctionId } from "../../functions/catalog";
import type { Stage } from "../../functions/pipeline/stages";
import { FINAL_STAGE, waitedStage } from "./stateNames";

/** One stage a provider has. */
export interface WorkflowStep {
  /** The function the stage's Task calls (for a wait stage: one poll). */
  functionId: PipelineFunctionId;
  /** Wait stages only: the function that files the task token, when the provider can send a webhook instead. */
  callbackFunctionId?: PipelineFunctionId;
}

/** What the workflow needs to know about a provider: its name and the function of each stage it has. */
export interface WorkflowProvider {
  /** The job spec's `provider` value. */
  id: string;
  displayName: string;
  /** The stages it has; the lane skips the others. */
  stages: Partial<Record<Stage, WorkflowStep>>;
  /** Why its plan looks the way it does, when the stages alone do not say (ends up in the Plan's comment). */
  note?: string;
}

/** A provider list the workflow cannot be built from; names the provider and what is wrong. */
export class InvalidWorkflowProviderError extends Error {
  override readonly name = "InvalidWorkflowProviderError";
  constructor(provider: string, problem: string) {
    super(`workflow provider ${provider}: ${problem}`);
  }
}

/** Throws when two providers share an id, one lacks the final stage, or a work stage names a callback. */
export function checkWorkflowProviders(providers: readonly WorkflowProvider[]): void {
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.id)) throw new InvalidWorkflowProviderError(provider.id, "listed twice");
    seen.add(provider.id);
    if (provider.stages[FINAL_STAGE] === undefined)
      throw new InvalidWorkflowProviderError(
        provider.id,
        `has no ${FINAL_STAGE} stage, which every job ends with`,
      );
    for (const [stage, step] of Object.entries(provider.stages) as [Stage, WorkflowStep][]) {
      if (step.callbackFunctionId !== undefined && waitedStage(stage) === undefined)
        throw new InvalidWorkflowProviderError(
          provider.id,
          `stage ${stage} waits for nothing, so it takes no callback`,
        );
    }
  }
}
