import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { pollDelaySeconds } from "../../pipeline/pollDelay";
import { type PollAnswer, stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../core/errors";
import { reel } from "./createReel";
import type { VidioDependencies } from "./dependencies";
import type { VidioClient } from "./VidioClient";

/** Asks VIDIO whether the render is done; ready means the output URL is there. */
export async function renderStatus(
  vidio: VidioClient,
  vidioJobId: string,
  poll: number,
): Promise<PollAnswer & { status: string }> {
  const render = await vidio.getRender(vidioJobId);
  if (render.status === "failed") {
    throw new ProviderJobFailedError(
      `vidio render of ${vidioJobId} failed: ${render.error ?? "no reason given"}`,
      {
        provider: "vidio",
        operation: "getRender",
      },
    );
  }
  const ready = render.status === "completed" && Boolean(render.output_url);
  return { ready, nextPollSeconds: pollDelaySeconds(poll, 10), status: render.status };
}

const event = stepEventSchema({ create: reel });

/** Stage `awaitRender`: one poll of the render. */
export const renderStatusStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.renderStatus",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    renderStatus(dependencies.vidio, progress.create.value.vidioJobId, poll ?? 1),
};
