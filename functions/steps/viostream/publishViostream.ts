import type { JobOf } from "../../pipeline/jobSpec";
import { ProviderUnavailableError } from "../../providers/core/errors";
import { embedFor, parseDuration, type ViostreamClient } from "../../providers/viostream/ViostreamClient";

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
export async function publishViostream(
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
