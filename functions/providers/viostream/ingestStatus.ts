import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { jobFor } from "../../pipeline/jobSpec";
import { pollDelaySeconds } from "../../pipeline/pollDelay";
import { type PollAnswer, stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderJobFailedError, ProviderOutcomeUnknownError } from "../core/errors";
import type { ViostreamDependencies } from "./dependencies";
import { ingest, ingested } from "./ingest";
import type { ViostreamClient } from "./ViostreamClient";

/**
 * Lookups of a media whose create answer was lost before the create is sent once more. The polls wait
 * 10, 20, 40 s and then a minute each: about 8 minutes for Viostream to read the source and list the media
 * (assumed, and written in the README's guarantees). A media still not listed after twice as many lookups
 * (the re-sent create lost too, or Viostream slower than assumed) is an unknown outcome.
 */
export const LOST_CREATE_LOOKUPS = 10;

/**
 * Asks Viostream how the ingest is going: Online is ready, Failed fails the job with Viostream's reason.
 * Media found from an earlier attempt, or made by a create whose answer was lost, has no ingest to ask
 * about, so its own status decides. A lost create whose media is not listed after `LOST_CREATE_LOOKUPS`
 * polls never reached Viostream (a connection dropped before it acted), so `resendCreate` sends it once
 * more under the same reference id; the lookups then go on.
 */
export async function ingestStatus(
  viostream: ViostreamClient,
  ingest: { referenceId: string; ingestId?: string; createAnswerLost?: boolean },
  poll: number,
  resendCreate: () => Promise<unknown>,
): Promise<PollAnswer & { status: string }> {
  const status = ingest.ingestId
    ? await viostream.getIngestStatus(ingest.ingestId)
    : { status: await listedStatus(viostream, ingest, poll, resendCreate) };
  if (status.status === "Failed") {
    const reason = "error" in status && status.error ? status.error : "no reason given";
    throw new ProviderJobFailedError(
      `viostream ingest ${ingest.ingestId ?? ingest.referenceId} failed: ${reason}`,
      {
        provider: "viostream",
        operation: "getIngestStatus",
      },
    );
  }
  return {
    ready: status.status === "Online",
    nextPollSeconds: pollDelaySeconds(poll, 10),
    status: status.status,
  };
}

async function listedStatus(
  viostream: ViostreamClient,
  ingest: { referenceId: string; createAnswerLost?: boolean },
  poll: number,
  resendCreate: () => Promise<unknown>,
): Promise<string> {
  const media = await viostream.findMediaByReferenceId(ingest.referenceId);
  if (media) return media.status;
  if (!ingest.createAnswerLost) return "Processing";
  // Once per job: the poll count travels in the state. A retry of this poll after an error resends only
  // after the create step's own lookup by reference id found nothing again.
  if (poll === LOST_CREATE_LOOKUPS) await resendCreate();
  if (poll >= 2 * LOST_CREATE_LOOKUPS) {
    throw new ProviderOutcomeUnknownError(
      `viostream createIngest: its answer was lost, it was sent once more after ${LOST_CREATE_LOOKUPS} lookups, and no media with referenceId ${ingest.referenceId} was listed after ${poll} lookups; Viostream may still be reading the source. Look for referenceId ${ingest.referenceId} in Viostream: a redrive looks it up again`,
      { provider: "viostream", operation: "createIngest" },
    );
  }
  return "Processing";
}

const event = stepEventSchema({ create: ingested });

/**
 * Stage `awaitCreate`: one poll, Processing until Online or Failed; a lost create not listed in time is sent
 * once more (with the same lookup first), so it reads the source like the ingest does.
 */
export const ingestStatusStep: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.ingestStatus",
  event,
  run: ({ job, progress, poll }, { dependencies }) =>
    ingestStatus(dependencies.viostream, progress.create.value, poll ?? 1, () =>
      ingest(dependencies.viostream, dependencies.s3, jobFor(job, "viostream")),
    ),
};
