/**
 * What the video.dev simulator learns of a source by fetching it, as video.dev does: its media info, read from
 * the `moov` box by mp4box (the pipeline's own MP4 reader), and its bytes when stored media is downloaded.
 * Only the start of the file is read; a `moov` written after the media data is reached with a ranged GET.
 */
import { type Movie, readMovieBox, type Track } from "../../pipeline/MovieParser";
import { ByteStream } from "../core/simulator/ByteStream";
import * as probe from "../core/simulator/sourceProbe";
import type { VideoDevMediaInfo } from "./schemas";

/** What reading a source found: its media info, or why it cannot be imported. */
export type ProbeOutcome =
  | { ok: true; info: VideoDevMediaInfo; sizeBytes: number | undefined }
  | { ok: false; reason: string; sizeBytes?: number | undefined };

/** Used when a reachable source cannot be measured cheaply (a `moov` the server will not let us jump to). */
export const FALLBACK_INFO = {
  duration_ms: 60_000,
  fps: 30,
  frame_count: 1800,
  width: 1920,
  height: 1080,
  channels: 2,
};

/** Bytes the probe may download in sequence before it jumps ahead with a ranged GET instead. */
const STREAM_BUDGET_BYTES = 8 * 1024 * 1024;
/** A box larger than this is jumped over with a ranged GET rather than downloaded and discarded. */
const INLINE_SKIP_BYTES = 1024 * 1024;
/** After the `moov`, boxes up to this size are walked to check the file is whole; the first larger one ends it. */
const TRAILING_CHECK_BYTES = 64 * 1024;

/** Fetches the start of a source and reads its `moov`; never throws, a failure is the media's error reason. */
export async function probeSource(url: string, stop: AbortSignal): Promise<ProbeOutcome> {
  const signal = probe.deadline(stop);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    return { ok: false, reason: `source_media_url could not be downloaded (${probe.networkReason(error)})` };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `source_media_url could not be downloaded (HTTP ${response.status})` };
  }
  const sizeBytes = probe.contentLength(response.headers.get("content-length"));
  try {
    return await walkBoxes(url, signal, sizeBytes, new ByteStream(response.body.getReader(), 0));
  } catch (error) {
    return {
      ok: false,
      reason: `source_media_url could not be read (${probe.networkReason(error)})`,
      sizeBytes,
    };
  }
}

async function walkBoxes(
  url: string,
  signal: AbortSignal,
  sizeBytes: number | undefined,
  first: ByteStream,
): Promise<ProbeOutcome> {
  let stream = first;
  let movie: VideoDevMediaInfo | undefined;
  let boxes = 0;
  const failed = (reason: string): ProbeOutcome => ({
    ok: false,
    reason: `source media ${reason}`,
    sizeBytes,
  });
  const fallback: ProbeOutcome = { ok: true, info: { type: "video", ...FALLBACK_INFO }, sizeBytes };
  try {
    for (;;) {
      const offset = stream.position;
      if (!(await stream.fill(8))) {
        if (stream.available > 0) return failed(`is truncated: a box header at byte ${offset} is cut short`);
        break;
      }
      if (boxes === 0 && !probe.looksIsoBmff(stream.peek(8))) return failed("is not an MP4/MOV video");
      // A 64-bit size follows the type: the header is 16 bytes then.
      if (stream.peek(8).readUInt32BE(0) === 1) await stream.fill(16);
      const box = probe.readBoxHeader(stream.peek(16), offset, sizeBytes);
      if ("problem" in box) return failed(box.problem);
      const { type, size, end } = box;
      boxes += 1;
      if (movie) {
        // The moov is read; walking a few more headers is only to notice a file cut short (the usual way an
        // interrupted upload looks), so stop at the first big box, normally the media data itself.
        if (size > TRAILING_CHECK_BYTES) break;
        if (!(await stream.skip(size)))
          return failed(`is truncated: the ${type} box at byte ${offset} is cut short`);
        continue;
      }
      if (type === "moov") {
        if (size > probe.MAX_MOOV_BYTES) return fallback;
        if (!(await stream.fill(size)))
          return failed(`is truncated: the moov box at byte ${offset} is cut short`);
        const read = readMovieBox(stream.take(size));
        movie = read && mediaInfo(read);
        if (!movie) return failed("has an unreadable moov box");
        continue;
      }
      if (!Number.isFinite(size)) break;
      const toDownload = size - Math.min(size, stream.available);
      if (toDownload > INLINE_SKIP_BYTES || stream.received + toDownload > STREAM_BUDGET_BYTES) {
        // Most likely the media data before a moov at the end: jump over it rather than download the video.
        stream.cancel();
        const ranged = await fetch(url, { signal, headers: { range: `bytes=${end}-` } });
        if (ranged.status !== 206 || !ranged.body) {
          await ranged.body?.cancel().catch(() => undefined);
          return fallback;
        }
        stream = new ByteStream(ranged.body.getReader(), end, stream.received);
        continue;
      }
      if (!(await stream.skip(size)))
        return failed(`is truncated: the ${type} box at byte ${offset} is cut short`);
    }
  } finally {
    stream.cancel();
  }
  if (movie) return { ok: true, info: movie, sizeBytes };
  return failed(boxes === 0 ? "is empty" : "has no moov box: not a playable MP4/MOV");
}

/** Duration, video size, frame rate and audio channels, as video.dev's `media_info` gives them. */
function mediaInfo(movie: Movie): VideoDevMediaInfo | undefined {
  const video = movie.videoTracks[0];
  const audio = movie.audioTracks[0];
  const durationMs =
    movie.timescale > 0
      ? Math.round((movie.duration * 1000) / movie.timescale)
      : Math.max(0, ...movie.tracks.map(trackMs));
  const frames = video?.nb_samples ?? 0;
  const videoMs = video ? trackMs(video) : 0;
  const fps = videoMs > 0 && frames > 0 ? Math.round((frames * 1_000_000) / videoMs) / 1000 : undefined;
  // A 90° rotation in the matrix (a = d = 0) means players show the frame turned: swap the sides.
  const rotated = video !== undefined && video.matrix[0] === 0 && video.matrix[4] === 0;
  const width = Math.round(video?.track_width ?? 0);
  const height = Math.round(video?.track_height ?? 0);
  return {
    type: "video",
    duration_ms: durationMs,
    fps: fps ?? FALLBACK_INFO.fps,
    frame_count: frames || Math.round((durationMs * (fps ?? FALLBACK_INFO.fps)) / 1000),
    width: rotated ? height : width,
    height: rotated ? width : height,
    channels: audio?.audio?.channel_count ?? 0,
  };
}

/** A track's own duration (its media header's), in milliseconds. */
function trackMs(track: Track): number {
  return track.timescale > 0 ? (track.duration * 1000) / track.timescale : 0;
}

/** The whole of a small source, for serving stored media; fails past `cap` bytes. */
export async function readCapped(
  url: string,
  cap: number,
  signal: AbortSignal,
): Promise<{ ok: true; value: Buffer } | { ok: false; reason: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return { ok: false, reason: `source answered HTTP ${response.status}` };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > cap) {
        await response.body.cancel().catch(() => undefined);
        return { ok: false, reason: `larger than the simulator's ${cap} byte limit` };
      }
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, value: Buffer.concat(chunks) };
  } catch (error) {
    return { ok: false, reason: probe.networkReason(error) };
  }
}
