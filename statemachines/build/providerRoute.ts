import { arnPlaceholder } from "../../functions/catalog";
import { STAGES, type Stage } from "../../functions/pipeline/stages";
import { WEBHOOKS_ENABLED_PLACEHOLDER } from "../pipelineDefinition";
import type { Block, ChoiceState, PassState } from "./asl";
import { callbackPlanKey, waitedStage } from "./stateNames";
import type { WorkflowProvider } from "./workflowProvider";

export const ROUTE_STATE = "Route by provider";
const UNKNOWN_PROVIDER = "Unknown provider";

/** The Pass state that writes one provider's plan. */
export function planStateName(provider: WorkflowProvider): string {
  return `Plan ${provider.displayName}`;
}

function placeholder(name: string): string {
  return `\${${name}}`;
}

/** The plan: each stage the provider has, mapped to its function's ARN (and its webhook wait's, if any). */
function planOf(provider: WorkflowProvider): Record<string, string> {
  const plan: Record<string, string> = {};
  for (const stage of STAGES) {
    const step = provider.stages[stage];
    if (step === undefined) continue;
    plan[stage] = placeholder(arnPlaceholder(step.functionId));
    if (step.callbackFunctionId !== undefined)
      plan[callbackPlanKey(stage)] = placeholder(arnPlaceholder(step.callbackFunctionId));
  }
  return plan;
}

function hasCallbacks(provider: WorkflowProvider): boolean {
  return Object.values(provider.stages).some((step) => step?.callbackFunctionId !== undefined);
}

function planComment(provider: WorkflowProvider): string {
  const stages = STAGES.filter((stage) => provider.stages[stage] !== undefined).map((stage) =>
    provider.stages[stage]?.callbackFunctionId === undefined ? stage : `${stage} (webhook or polling)`,
  );
  const note = provider.note === undefined ? "" : ` ${provider.note}`;
  return `${provider.displayName} has ${stages.join(", ")}; the lane skips its other stages.${note}`;
}

function planState(provider: WorkflowProvider, next: string): PassState {
  return {
    Type: "Pass",
    Comment: planComment(provider),
    Parameters: {
      "job.$": "$",
      progress: {},
      // Every wait stage's poll count starts at 0, so MathAdd always finds a number.
      polls: Object.fromEntries(
        STAGES.filter((stage) => waitedStage(stage) !== undefined).map((stage: Stage) => [
          stage,
          { count: 0 },
        ]),
      ),
      rateLimits: { count: 0 },
      ...(hasCallbacks(provider) ? { webhooks: placeholder(WEBHOOKS_ENABLED_PLACEHOLDER) } : {}),
      plan: planOf(provider),
    },
    Next: next,
  };
}

/**
 * The start of the workflow: route the job to its provider's plan, the Pass state that writes which function
 * runs each stage; after that the lane is the same for every provider.
 */
export function providerRoute(providers: readonly WorkflowProvider[], next: string): Block {
  const route: ChoiceState = {
    Type: "Choice",
    Comment:
      "Each provider gets a plan: the function for every stage it has. Stages it lacks are skipped below.",
    Choices: providers.map((provider) => ({
      And: [
        { Variable: "$.provider", IsPresent: true },
        { Variable: "$.provider", StringEquals: provider.id },
      ],
      Next: planStateName(provider),
    })),
    Default: UNKNOWN_PROVIDER,
  };
  return {
    title: "Route by provider",
    detailed: true,
    states: {
      [ROUTE_STATE]: route,
      [UNKNOWN_PROVIDER]: {
        Type: "Fail",
        Comment:
          "Submissions are validated against the provider list; this catches executions started by hand.",
        Error: "UnknownProviderError",
        Cause: "The job names a provider this pipeline does not know.",
      },
      ...Object.fromEntries(
        providers.map((provider) => [planStateName(provider), planState(provider, next)]),
      ),
    },
  };
}
