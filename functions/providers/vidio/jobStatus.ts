import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { pollDelaySeconds } from "../../pipeline/pollDelay";
import { type PollAnswer, stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../core/errors";
import { reel } from "./createReel";
import type { VidioDependencies } from "./dependencies";
import type { VidioClient } from "./VidioClient";

/** Asks VIDIO whether the highlight reel job is complete; a failed job fails the pipeline job. */
export async function jobStatus(
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

const event = stepEventSchema({ create: reel });

/** Stage `awaitCreate`: one poll of the highlight reel job. */
export const jobStatusStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.jobStatus",
  event,
  run: ({ progress, poll }, { dependencies }) =>
    jobStatus(dependencies.vidio, progress.create.value.vidioJobId, poll ?? 1),
};
