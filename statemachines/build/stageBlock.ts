import type { Stage } from "../../functions/pipeline/stages";
import type { Block } from "./asl";
import { providerTask } from "./providerTask";
import { planPath, RECORD_RESULT, workStateNames } from "./stateNames";

/** What each work stage's call does, for the comment on its Task. */
const PURPOSE: Partial<Record<Stage, string>> = {
  upload: "Gets the sources to the provider: bytes streamed from S3 in bounded slices, or a URL it pulls.",
  create: "Starts the provider's job on the sources: a clip, a highlight reel, an ingest, a catalog import.",
  render: "Starts rendering what create made into the output video.",
  publish: "Reads what the finished job produced (URLs, embed code, ids): the job's result.",
};

/**
 * A work stage (upload, create, render): skipped when the provider's plan lacks it, and called again for as
 * long as its function answers `done: false` (work cut into slices that each fit a Lambda invocation).
 */
export function stageBlock(stage: Stage, next: string): Block {
  const names = workStateNames(stage);
  return {
    title: names.task,
    lane: true,
    states: {
      [names.present]: {
        Type: "Choice",
        Comment: `Providers whose plan names no ${stage} function skip this stage.`,
        Choices: [{ Variable: planPath(stage), IsPresent: true, Next: names.task }],
        Default: next,
      },
      [names.task]: providerTask({ stage, comment: PURPOSE[stage] ?? stage, next: names.finished }),
      [names.finished]: {
        Type: "Choice",
        Comment:
          "A step that works in slices (an upload in chunks, an import in batches of 50) answers done: false and is called again to continue.",
        Choices: [
          {
            And: [
              { Variable: `$.progress.${stage}.value.done`, IsPresent: true },
              { Variable: `$.progress.${stage}.value.done`, BooleanEquals: false },
            ],
            Next: names.task,
          },
        ],
        Default: next,
      },
    },
  };
}

/** The publish stage: every provider has one, and it answers in one call, so no skip and no slices. */
export function publishBlock(stage: Stage): Block {
  const names = workStateNames(stage);
  return {
    title: names.task,
    lane: true,
    states: {
      [names.task]: providerTask({ stage, comment: PURPOSE[stage] ?? stage, next: RECORD_RESULT }),
    },
  };
}
