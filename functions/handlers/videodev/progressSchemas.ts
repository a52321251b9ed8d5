import { z } from "zod";
import { stageOutput } from "../../pipeline/stepEvent";

/** What the video.dev steps read back from earlier stages. */
export const imported = stageOutput(z.object({ mediaId: z.string() }).loose());
export const measured = stageOutput(z.object({ durationMs: z.number().optional() }).loose());
export const clipped = stageOutput(z.object({ clipId: z.string() }).loose());
export const rendering = stageOutput(z.object({ renderId: z.string() }).loose());
