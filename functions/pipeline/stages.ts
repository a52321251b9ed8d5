/** The stages of the pipeline, as the state machine names them in every Task's payload. */
export const STAGES = [
  "upload",
  "awaitUpload",
  "create",
  "awaitCreate",
  "render",
  "awaitRender",
  "publish",
] as const;
export type Stage = (typeof STAGES)[number];

/** The stage that starts the provider job each wait stage waits for. */
export const STARTED_BY: Partial<Record<Stage, Stage>> = {
  awaitUpload: "upload",
  awaitCreate: "create",
  awaitRender: "render",
};
