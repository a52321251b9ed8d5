import { STARTED_BY, type Stage } from "../../functions/pipeline/stages";

/**
 * The names of the pipeline's states, in one place: a stage's states are found by name across blocks (a
 * redrive re-enters a stage, a 429 resumes its task, a lost webhook falls back to its poll loop), and
 * execution histories, the console and the tests read these names.
 */

/** The stage that runs last for every provider: it reads the result. */
export const FINAL_STAGE = "publish" satisfies Stage;

function capitalized(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

/** The stage a wait stage waits for ("awaitUpload" waits for "upload"), or undefined for a work stage. */
export function waitedStage(stage: Stage): Stage | undefined {
  return STARTED_BY[stage];
}

/** The states of a work stage (upload, create, render, publish). */
export function workStateNames(stage: Stage) {
  const task = capitalized(stage);
  return { present: `${task}?`, task, finished: `${task} finished?` };
}

/** The states of a wait stage (awaitUpload, ...), named after the stage it waits for. */
export function waitStateNames(stage: Stage) {
  const waited = waitedStage(stage) ?? stage;
  return {
    present: `Wait for ${waited}?`,
    callback: `Await ${waited} callback`,
    count: `Count ${waited} polls`,
    poll: `Poll ${waited}`,
    ready: `${capitalized(waited)} ready?`,
    wait: `Wait before polling ${waited}`,
    limitReached: `${capitalized(waited)} poll limit reached`,
  };
}

/** Where the lane enters a stage: the Choice that skips it when the plan lacks it; publish is never skipped. */
export function stageEntry(stage: Stage): string {
  if (stage === FINAL_STAGE) return workStateNames(stage).task;
  return waitedStage(stage) ? waitStateNames(stage).present : workStateNames(stage).present;
}

/** The task that calls a stage's function again (after a 429): for a wait stage, its poll. */
export function stageTask(stage: Stage): string {
  return waitedStage(stage) ? waitStateNames(stage).poll : workStateNames(stage).task;
}

/** Where the provider plan keeps a stage's function ARN. */
export function planPath(stage: Stage): string {
  return `$.plan.${stage}`;
}

/** The plan entry of the function that files a wait stage's task token for a webhook. */
export function callbackPlanKey(stage: Stage): string {
  return `${stage}Callback`;
}

/** Where a stage's failure is kept for the failure record. */
export function failurePath(stage: string): string {
  return `$.failure.${stage}`;
}

export const RATE_LIMIT_ENTRY = "Read Retry-After";
export const RECORD_FAILURE = "Record failure";
export const RECORD_RESULT = "Record result";
