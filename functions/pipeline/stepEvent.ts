import { z } from "zod";
import { JobSchema } from "./jobSpec";
import { STAGES } from "./stages";

/** What a stage left behind: the state machine stores each Task's answer under `progress.<stage>.value`. */
export const stageOutput = <T extends z.ZodType>(value: T) => z.object({ value });

/**
 * The payload every pipeline Task receives: its stage, the job, what earlier stages produced, and (for
 * polls) how many polls this wait loop has made. `progress` lists only what this step reads.
 */
export function stepEventSchema<P extends z.ZodRawShape>(progress: P) {
  return z.object({
    stage: z.enum(STAGES),
    job: JobSchema,
    progress: z.looseObject(progress),
    poll: z.number().int().positive().optional(),
  });
}

/** What every poll step answers: whether to move on, and how long to wait before asking again. */
export interface PollAnswer {
  ready: boolean;
  nextPollSeconds: number;
}

/** What every slice-able step answers: `done: false` makes the state machine call it again to continue. */
export interface SliceAnswer {
  done: boolean;
}
