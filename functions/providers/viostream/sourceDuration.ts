/**
 * How the Viostream simulator learns a source's duration, fetching it as Viostream does: a few bounded ranged
 * GETs, enough to find the `moov` box, which mp4box (the pipeline's own MP4 reader) reads. Never the media data.
 */
import { readMovieBox } from "../../pipeline/MovieParser";
import * as probe from "../core/simulator/sourceProbe";

/** Duration given to a source whose length cannot be read cheaply (not MP4/MOV, or no ranged reads). */
export const FALLBACK_DURATION_SECONDS = 60;

/** What reading a source found: its duration (measured, or the fallback), or why the ingest fails. */
export type ProbeOutcome =
  | { ok: true; durationSeconds: number; measured: boolean }
  | { ok: false; reason: string };

/** Bytes asked for per read: the whole head of a faststart MP4 (ftyp, moov, mdat header) fits in it. */
const WINDOW_BYTES = 64 * 1024;
/** Ranged reads per source; a moov after the media data takes two. */
const MAX_READS = 4;
/** Top-level boxes walked before giving up on finding a moov. */
const MAX_TOP_LEVEL_BOXES = 32;
/** Extensions whose container the simulator reads; the others get the fallback duration. */
const ISO_BMFF_EXTENSIONS = new Set(["mp4", "mov", "3gp"]);

/** A source read through byte ranges, keeping only the last window fetched. */
class RangedSource {
  reads = 0;
  /** The file's size, once a response has told it. */
  total: number | undefined;
  private window: { start: number; bytes: Buffer; atEnd: boolean } | undefined;

  constructor(
    private readonly url: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Whether `[offset, offset + length)` is already in hand (or the file ends inside what is in hand). */
  holds(offset: number, length: number): boolean {
    const window = this.window;
    if (!window || offset < window.start) return false;
    const end = window.start + window.bytes.length;
    return offset + length <= end || (window.atEnd && offset <= end);
  }

  /**
   * Up to `length` bytes from `offset` (fewer at the end of the file). "refused" when the server will not
   * serve a range we must jump to, "budget" when the reads are used up: both mean "cannot tell cheaply".
   */
  async at(offset: number, length: number): Promise<Buffer | "refused" | "budget" | { failed: string }> {
    if (!this.holds(offset, length)) {
      const fetched = await this.fetchWindow(offset, Math.max(length, WINDOW_BYTES));
      if (typeof fetched === "string" || "failed" in fetched) return fetched;
      this.window = fetched;
    }
    const window = this.window;
    if (!window) return Buffer.alloc(0);
    return window.bytes.subarray(offset - window.start, offset - window.start + length);
  }

  private async fetchWindow(
    offset: number,
    length: number,
  ): Promise<{ start: number; bytes: Buffer; atEnd: boolean } | "refused" | "budget" | { failed: string }> {
    if (this.reads >= MAX_READS) return "budget";
    this.reads += 1;
    let response: Response;
    try {
      response = await fetch(this.url, {
        headers: { range: `bytes=${offset}-${offset + length - 1}` },
        signal: this.signal,
      });
    } catch (error) {
      return { failed: `source could not be downloaded (${probe.networkReason(error)})` };
    }
    if (response.status === 416) {
      await response.body?.cancel().catch(() => undefined);
      return { start: offset, bytes: Buffer.alloc(0), atEnd: true };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return { failed: `source could not be downloaded (HTTP ${response.status})` };
    }
    if (response.status !== 206) {
      // The server sent the whole file: fine for the head, but it cannot take us past the media data.
      this.total ??= probe.contentLength(response.headers.get("content-length"));
      if (offset > 0) {
        await response.body.cancel().catch(() => undefined);
        return "refused";
      }
    } else {
      this.total ??= rangeTotal(response.headers.get("content-range"));
    }
    const bytes = await readAtMost(response.body, length);
    const atEnd = bytes.length < length || (this.total !== undefined && offset + bytes.length >= this.total);
    return { start: offset, bytes, atEnd };
  }
}

/** Reads the source's duration; never throws: a failure is the ingest's error text. */
export async function probeSource(url: string, extension: string, stop: AbortSignal): Promise<ProbeOutcome> {
  const source = new RangedSource(url, probe.deadline(stop));
  const fallback: ProbeOutcome = { ok: true, durationSeconds: FALLBACK_DURATION_SECONDS, measured: false };
  const failed = (reason: string): ProbeOutcome => ({ ok: false, reason });
  try {
    const head = await source.at(0, 16);
    if (typeof head === "string") return fallback;
    if ("failed" in head) return failed(head.failed);
    if (head.length === 0) return failed("source is empty");
    if (!probe.looksIsoBmff(head)) {
      return ISO_BMFF_EXTENSIONS.has(extension)
        ? failed(`source is not a readable ${extension} video`)
        : fallback;
    }
    let offset = 0;
    let seconds: number | undefined;
    for (let boxes = 0; boxes < MAX_TOP_LEVEL_BOXES; boxes += 1) {
      if (source.total !== undefined && offset >= source.total) break;
      // Past the moov, headers are only checked while they are already in hand, to catch a cut-off file.
      if (seconds !== undefined && !source.holds(offset, 16)) break;
      const header = await source.at(offset, 16);
      if (typeof header === "string") return seconds === undefined ? fallback : measured(seconds);
      if ("failed" in header) return failed(header.failed);
      if (header.length === 0) break;
      const box = probe.readBoxHeader(header, offset, source.total);
      if ("problem" in box) return failed(`source ${box.problem}`);
      const { type, size, end } = box;
      if (type === "moov" && seconds === undefined) {
        if (size > probe.MAX_MOOV_BYTES) return fallback;
        const moov = await source.at(offset, size);
        if (typeof moov === "string") return fallback;
        if ("failed" in moov) return failed(moov.failed);
        seconds = movieSeconds(moov);
        if (seconds === undefined) return failed("source has an unreadable moov box");
      }
      if (!Number.isFinite(end)) break;
      offset = end;
    }
    if (seconds !== undefined) return measured(seconds);
    return source.total !== undefined && offset >= source.total
      ? failed("source has no moov box: not a playable video")
      : fallback;
  } catch (error) {
    return failed(`source could not be read (${probe.networkReason(error)})`);
  }
}

function measured(seconds: number): ProbeOutcome {
  return { ok: true, durationSeconds: seconds, measured: true };
}

/** The movie duration in seconds from a whole `moov` box, as mp4box reads it. */
function movieSeconds(moov: Buffer): number | undefined {
  const movie = readMovieBox(moov);
  return movie && movie.timescale > 0 ? movie.duration / movie.timescale : undefined;
}

/** Reads a body up to `limit` bytes and hangs up, so a server that ignores ranges cannot make us download a film. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    while (length < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      length += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

function rangeTotal(value: string | null): number | undefined {
  const total = /\/(\d+)\s*$/.exec(value ?? "")?.[1];
  return total === undefined ? undefined : Number(total);
}
