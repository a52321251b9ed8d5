import { pollDelaySeconds } from "../../pipeline/pollDelay";
import type { PollAnswer } from "../../pipeline/stepEvent";
import { ProviderJobFailedError } from "../../providers/core/errors";
import type { ViostreamClient } from "../../providers/viostream/ViostreamClient";

/**
 * Asks Viostream how the ingest is going: Online is ready, Failed fails the job with Viostream's reason.
 * Media found from an earlier attempt has no ingest to ask about, so its own status decides.
 */
export async function pollViostreamIngest(
  viostream: ViostreamClient,
  ingest: { referenceId: string; ingestId?: string },
  poll: number,
): Promise<PollAnswer & { status: string }> {
  const status = ingest.ingestId
    ? await viostream.getIngestStatus(ingest.ingestId)
    : { status: (await viostream.findMediaByReferenceId(ingest.referenceId))?.status ?? "Processing" };
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
