import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../../providers/core/errors";
import type { VidioClient } from "../../providers/vidio/VidioClient";

/** Asks VIDIO whether the render is done; ready means the output URL is there. */
export async function pollVidioRender(
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
