import { z } from "zod";
import { stageOutput } from "../../pipeline/stepEvent";

/** What the api.video steps read back from the upload: the video it created. */
export const uploaded = stageOutput(z.object({ videoId: z.string() }).loose());
