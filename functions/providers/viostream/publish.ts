import type { StepDefinition } from "../../handlers/core/createStepHandler";
import { type JobOf, jobFor } from "../../pipeline/jobSpec";
import { stepEventSchema } from "../../pipeline/stepEvent";
import { ProviderUnavailableError } from "../core/errors";
import type { ViostreamDependencies } from "./dependencies";
import { ingested } from "./ingest";
import { embedFor, parseDuration, type ViostreamClient } from "./ViostreamClient";

/** What a Viostream job hands back: the media, and how to embed it. */
export interface ViostreamResult {
  status: "succeeded";
  provider: "viostream";
  jobId: string;
  referenceId: string;
  mediaId: string;
  key: string;
  title?: string;
  durationSeconds?: number;
  thumbnail?: string;
  embedUrl: string;
  iframe: string;
}

/** Finds the ingested media by the job's reference id and builds its embed URL and responsive iframe. */
export async function publish(
  viostream: ViostreamClient,
  job: JobOf<"viostream">,
  referenceId: string,
): Promise<ViostreamResult> {
  const media = await viostream.findMediaByReferenceId(referenceId);
  if (!media) {
    // Online but not listed yet: worth a retry with backoff, not a failed job.
    throw new ProviderUnavailableError(`viostream lists no media with referenceId ${referenceId} yet`, {
      provider: "viostream",
      operation: "findMediaByReferenceId",
    });
  }
  const { embedUrl, iframe } = embedFor(media);
  return {
    status: "succeeded",
    provider: "viostream",
    jobId: job.jobId,
    referenceId,
    mediaId: media.id,
    key: media.key,
    ...(media.title ? { title: media.title } : {}),
    ...(media.duration ? { durationSeconds: parseDuration(media.duration) } : {}),
    ...(media.thumbnail ? { thumbnail: media.thumbnail } : {}),
    embedUrl,
    iframe,
  };
}

const event = stepEventSchema({ create: ingested });

/** Stage `publish`: the media found by reference id, with its embed URL and iframe. */
export const publishStep: StepDefinition<typeof event, ViostreamDependencies, unknown> = {
  operation: "viostream.publish",
  event,
  run: ({ job, progress }, { dependencies }) =>
    publish(dependencies.viostream, jobFor(job, "viostream"), progress.create.value.referenceId),
};
