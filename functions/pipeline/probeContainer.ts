import { createFile, type ISOFile, MP4BoxBuffer } from "mp4box";
import type { ByteSource } from "../providers/core/ByteSource";

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
  const file = createFile();
  let ready:
    | {
        duration: number;
        timescale: number;
        tracks: { type?: string; track_width: number; track_height: number }[];
      }
    | undefined;
  let failure: string | undefined;
  file.onReady = (info) => {
    ready = info as unknown as typeof ready;
  };
  file.onError = (_module, message) => {
    failure = message;
  };
  const diagnostics: string[] = [];
  let position = 0;
  for (let reads = 0; !ready && position < source.size && reads < MAX_READS; reads++) {
    const end = Math.min(source.size, position + READ_BYTES) - 1;
    const bytes = await source.read(position, end);
    const next = quietly(file, MP4BoxBuffer.fromArrayBuffer(copyOf(bytes), position), diagnostics);
    position = next > position ? next : end + 1;
  }
  if (!ready) {
    const detail = failure ?? diagnostics[0];
    throw new UnreadableVideoError(
      `no MP4/MOV movie header (moov) found: not a video this pipeline can read${detail ? ` (${detail})` : ""}`,
    );
  }
  const beyond = file.boxes.find((box) => (box.start ?? 0) + (box.size ?? 0) > source.size);
  if (beyond) {
    throw new UnreadableVideoError(
      `the file is cut short: its ${beyond.type} box ends at byte ${(beyond.start ?? 0) + (beyond.size ?? 0)} of ${source.size}`,
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

/**
 * mp4box reports every atom it does not know (QuickTime user data such as ©swr) on console.error, and its
 * logger cannot be set below "error". appendBuffer is synchronous, so console.error is swapped for exactly
 * its duration and the lines are kept as diagnostics for an unreadable file's error.
 */
function quietly(file: ISOFile, buffer: MP4BoxBuffer, diagnostics: string[]): number {
  const original = console.error;
  console.error = (...parts: unknown[]) => {
    diagnostics.push(parts.slice(1).join(" "));
  };
  try {
    return file.appendBuffer(buffer);
  } finally {
    console.error = original;
  }
}

function copyOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
