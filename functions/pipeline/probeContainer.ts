import type { ByteSource } from "../providers/core/ByteSource";
import { MovieParser } from "./MovieParser";

/** What a video's own container says about it. */
export interface ContainerInfo {
  durationSeconds: number;
  width?: number;
  height?: number;
}

/** A source that cannot be read as an MP4/MOV video: empty, not a container, or cut short. */
export class UnreadableVideoError extends Error {
  override readonly name = "UnreadableVideoError";
}

/** Enough for `ftyp` + `moov` of a typical faststart file in one read. */
const READ_BYTES = 256 * 1024;
/** A moov a few MiB big needs a few dozen reads; a source that needs more is not a sane video. */
const MAX_READS = 64;

/**
 * Reads a video's duration from its MP4/MOV `moov` box with ranged reads: the start of the file, then,
 * when the moov sits after the media data, a jump straight past `mdat` to the end. A 10 GB file costs a
 * few hundred KiB of reads, never a download.
 */
export async function probeContainer(source: ByteSource): Promise<ContainerInfo> {
  if (source.size === 0) throw new UnreadableVideoError("the file is empty");
  const parser = new MovieParser();
  let position = 0;
  for (let reads = 0; !parser.movie && position < source.size && reads < MAX_READS; reads++) {
    const end = Math.min(source.size, position + READ_BYTES) - 1;
    const bytes = await source.read(position, end);
    const next = parser.append(bytes, position);
    position = next > position ? next : end + 1;
  }
  const ready = parser.movie;
  if (!ready) {
    const detail = parser.problem();
    throw new UnreadableVideoError(
      `no MP4/MOV movie header (moov) found: not a video this pipeline can read${detail ? ` (${detail})` : ""}`,
    );
  }
  const beyond = parser.boxes().find((box) => box.end > source.size);
  if (beyond) {
    throw new UnreadableVideoError(
      `the file is cut short: its ${beyond.type} box ends at byte ${beyond.end} of ${source.size}`,
    );
  }
  if (!(ready.timescale > 0) || !(ready.duration > 0))
    throw new UnreadableVideoError("the movie header gives no duration");
  const video = ready.tracks.find((track) => track.type === "video");
  return {
    durationSeconds: ready.duration / ready.timescale,
    ...(video ? { width: video.track_width, height: video.track_height } : {}),
  };
}
