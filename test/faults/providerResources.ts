import type { Provider } from "../../functions/pipeline/jobSpec";
import type { Simulators } from "../../local/providerConnections";

/** Resources of one kind a simulator holds for one source file. */
export interface CreatedResources {
  provider: Provider;
  kind: string;
  file: string;
  count: number;
}

/**
 * What the simulators created, per source file and kind, read from their own state (not from our
 * records): every job of the fault suite has a source file of its own, so more than one of a kind for a
 * file is a duplicate the provider would bill, show or publish twice.
 */
export function createdResources(simulators: Simulators): CreatedResources[] {
  const counts = new Map<string, CreatedResources>();
  const add = (provider: Provider, kind: string, file: string | undefined) => {
    if (file === undefined) return;
    const key = `${provider}\u0000${kind}\u0000${file}`;
    const entry = counts.get(key) ?? { provider, kind, file, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  };

  const apiVideo = simulators.apivideo;
  for (const id of apiVideo?.videoIds() ?? []) add("apivideo", "video", apiVideo?.video(id)?.title);

  const videoDev = simulators.videodev?.inventory();
  if (videoDev) {
    const fileOfMedia = new Map(videoDev.imports.map((media) => [media.mediaId, fileOfUrl(media.sourceUrl)]));
    const fileOfClip = new Map(videoDev.clips.map((clip) => [clip.clipId, fileOfMedia.get(clip.mediaId)]));
    for (const media of videoDev.imports) add("videodev", "media", fileOfUrl(media.sourceUrl));
    for (const clip of videoDev.clips) add("videodev", "clip", fileOfMedia.get(clip.mediaId));
    for (const render of videoDev.renders) add("videodev", "render", fileOfClip.get(render.clipId));
  }

  const vidio = simulators.vidio;
  for (const jobId of vidio?.jobIds() ?? []) {
    const inputKey = vidio?.job(jobId)?.input_keys?.[0];
    const file = inputKey === undefined ? undefined : vidio?.upload(inputKey)?.name;
    add("vidio", "reel", file);
    // A reel rendered twice is a second output of one job.
    for (let render = 1; render < (vidio?.renderCount(jobId) ?? 0); render += 1) add("vidio", "reel", file);
  }

  for (const asset of simulators.vidori?.assets() ?? []) {
    add("vidori", "asset", fileOfUrl(asset.url ?? asset.externalUrl ?? ""));
  }

  for (const ingest of simulators.viostream?.ingestRecords() ?? []) {
    add("viostream", "media", fileOfUrl(ingest.sourceUrl));
  }
  return [...counts.values()];
}

/** The last path segment of a URL (a presigned S3 URL ends in the object's key), decoded. */
function fileOfUrl(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split("/").filter(Boolean).pop();
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
