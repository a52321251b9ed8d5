import { STAGES, type Stage } from "../../functions/pipeline/stages";
import type { Block, StateMachine, States } from "./asl";
import { providerRoute, ROUTE_STATE } from "./providerRoute";
import { rateLimitWait } from "./rateLimitWait";
import { recordFailure, recordResult } from "./records";
import { RESUME_STATE, redriveResume } from "./redriveResume";
import { publishBlock, stageBlock } from "./stageBlock";
import { FINAL_STAGE, RECORD_RESULT, stageEntry, waitedStage } from "./stateNames";
import { waitBlock } from "./waitBlock";
import { checkWorkflowProviders, type WorkflowProvider } from "./workflowProvider";

/** A job has six hours, beyond which the execution fails rather than hang on a provider that never ends. */
const PIPELINE_TIMEOUT_SECONDS = 6 * 3600;

const PIPELINE_COMMENT =
  "vidstep pipeline: Upload -> wait -> Create -> wait -> Render -> wait -> Publish, one provider per execution. Every stage a provider lacks is skipped; transient provider errors are retried with full jitter, 429s wait for the provider's Retry-After, every poll loop is capped, and any other failure ends in a failure record naming provider, step and reason. Every finished job writes results/<jobId>.json and an EventBridge event; a redrive (input job.resume) restores the progress and re-enters the failed stage.";

/** The lane's stages in order, each as its block: every provider runs through the same states. */
function laneBlocks(providers: readonly WorkflowProvider[]): Block[] {
  return STAGES.map((stage: Stage, index) => {
    const following = STAGES[index + 1];
    const next = following === undefined ? RECORD_RESULT : stageEntry(following);
    if (stage === FINAL_STAGE) return publishBlock(stage);
    if (waitedStage(stage) === undefined) return stageBlock(stage, next);
    // A webhook branch only where some provider can wait on one: no dead states.
    const withCallback = providers.some(
      (provider) => provider.stages[stage]?.callbackFunctionId !== undefined,
    );
    return waitBlock(stage, next, withCallback);
  });
}

/** The pipeline's blocks in file order: route and plans, redrive, the lane, then the shared endings. */
export function pipelineBlocks(providers: readonly WorkflowProvider[]): Block[] {
  checkWorkflowProviders(providers);
  const first = STAGES[0] as Stage;
  return [
    providerRoute(providers, RESUME_STATE),
    redriveResume(stageEntry(first)),
    ...laneBlocks(providers),
    recordResult(),
    rateLimitWait(),
    recordFailure(),
  ];
}

/** The pipeline state machine for these providers: what `statemachines/pipeline.asl.json` holds. */
export function pipelineWorkflow(providers: readonly WorkflowProvider[]): StateMachine {
  const states: States = {};
  for (const block of pipelineBlocks(providers)) {
    for (const [name, state] of Object.entries(block.states)) {
      // Two blocks naming one state would silently keep only the later one.
      if (name in states) throw new Error(`state "${name}" is written by two blocks`);
      states[name] = state;
    }
  }
  return {
    Comment: PIPELINE_COMMENT,
    StartAt: ROUTE_STATE,
    TimeoutSeconds: PIPELINE_TIMEOUT_SECONDS,
    States: states,
  };
}
