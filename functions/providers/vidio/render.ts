import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { type SliceAnswer, stepEventSchema } from "../../pipeline/stepEvent";
import { reel } from "./createReel";
import type { VidioDependencies } from "./dependencies";
import type { VidioClient } from "./VidioClient";

/** Starts rendering the completed highlight reel. */
export async function render(
  vidio: VidioClient,
  vidioJobId: string,
): Promise<SliceAnswer & { status: string }> {
  const render = await vidio.render(vidioJobId);
  return { done: true, status: render.status };
}

const event = stepEventSchema({ create: reel });

/** Stage `render`: starts rendering the completed reel. */
export const renderStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.render",
  event,
  run: ({ progress }, { dependencies }) => render(dependencies.vidio, progress.create.value.vidioJobId),
};
