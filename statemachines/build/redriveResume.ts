import { STAGES } from "../../functions/pipeline/stages";
import type { Block } from "./asl";
import { stageEntry } from "./stateNames";

export const RESUME_STATE = "Resume?";

/**
 * A redrive starts a new execution with `job.resume` (the failed stage and the progress before it): restore
 * the progress and enter that stage, so finished stages are not run again. `first` is where a new job starts.
 */
export function redriveResume(first: string): Block {
  return {
    title: "Redrive?",
    states: {
      [RESUME_STATE]: {
        Type: "Choice",
        Comment:
          "A redrive carries the failed stage and the progress before it; a new job starts at the top.",
        Choices: [{ Variable: "$.job.resume", IsPresent: true, Next: "Restore progress" }],
        Default: first,
      },
      "Restore progress": {
        Type: "Pass",
        Comment:
          "The earlier execution's answers, so the resumed stage finds what the stages before it made.",
        InputPath: "$.job.resume.progress",
        ResultPath: "$.progress",
        Next: "Resume at stage",
      },
      "Resume at stage": {
        Type: "Choice",
        Comment: "Enters the failed stage through its own skip check; an unknown stage starts from the top.",
        Choices: STAGES.map((stage) => ({
          Variable: "$.job.resume.stage",
          StringEquals: stage,
          Next: stageEntry(stage),
        })),
        Default: first,
      },
    },
  };
}
