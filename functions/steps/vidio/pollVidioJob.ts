import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../../providers/core/errors";
import type { VidioClient } from "../../providers/vidio/VidioClient";

/** Asks VIDIO whether the highlight reel job is complete; a failed job fails the pipeline job. */
export async function pollVidioJob(
  vidio: VidioClient,
  vidioJobId: string,
  poll: number,
): Promise<PollAnswer & { status: string }> {
  const job = await vidio.getJob(vidioJobId);
  if (job.status === "failed") {
    throw new ProviderJobFailedError(
      `vidio highlight reel ${vidioJobId} failed: ${job.error ?? "no reason given"}`,
      {
        provider: "vidio",
        operation: "getJob",
      },
    );
  }
  return {
    ready: job.status === "completed",
    nextPollSeconds: pollDelaySeconds(poll, 10),
    status: job.status,
  };
}
