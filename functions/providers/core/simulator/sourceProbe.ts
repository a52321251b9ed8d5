/**
 * What simulators that fetch a source themselves (as their provider does) share: a bounded wait, the words
 * for a failed download, and just enough ISO-BMFF (MP4/MOV) to walk a file's top-level boxes and decide what
 * to fetch next. What is inside the `moov` is read by mp4box (`functions/pipeline/MovieParser.ts`), the
 * pipeline's own reader; how each simulator fetches the bytes stays with the simulator, as its provider's.
 */

/** How long reading one source may take before the simulator gives up on it. */
export const PROBE_TIMEOUT_MS = 10_000;

/** A `moov` bigger than this is not read: the source gets the simulator's fallback measurements instead. */
export const MAX_MOOV_BYTES = 16 * 1024 * 1024;

/** Box types an MP4, MOV or 3GP file can start with; anything else is not a video to read. */
export const FIRST_BOX_TYPES: ReadonlySet<string> = new Set([
  "ftyp",
  "styp",
  "moov",
  "free",
  "skip",
  "wide",
  "mdat",
  "pdin",
  "uuid",
]);

/** A signal that ends a probe when the simulator stops or the probe has taken too long. */
export function deadline(stop: AbortSignal): AbortSignal {
  return AbortSignal.any([stop, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
}

/** Why a fetch failed, in a few words: the system's error code, or that it timed out. */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timed out";
  return error instanceof Error ? error.message : String(error);
}

/** A Content-Length header as a number of bytes, when it is one. */
export function contentLength(value: string | null): number | undefined {
  if (value === null) return undefined;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
}

/** Whether the first bytes of a file look like an MP4/MOV: a known first box. */
export function looksIsoBmff(head: Buffer): boolean {
  return head.length >= 8 && FIRST_BOX_TYPES.has(head.toString("latin1", 4, 8));
}

/** One top-level box header, read. */
export interface BoxHeader {
  type: string;
  /** The whole box, header included; infinite for a box "to the end" of a file of unknown size. */
  size: number;
  headerSize: number;
  /** Where the next box starts. */
  end: number;
}

/**
 * Reads the box header at `offset` from `header` (the 8 bytes there, or 16 for a 64-bit size), checking it
 * against the file's size when known. A problem is worded to follow the source's name: "is truncated: ...".
 */
export function readBoxHeader(
  header: Buffer,
  offset: number,
  fileSize: number | undefined,
): BoxHeader | { problem: string } {
  if (header.length < 8) return { problem: `is truncated: a box header at byte ${offset} is cut short` };
  const type = header.toString("latin1", 4, 8);
  if (!/^[\x20-\x7e]{4}$/.test(type)) return { problem: `is corrupt at byte ${offset}` };
  let size = header.readUInt32BE(0);
  let headerSize = 8;
  if (size === 1) {
    if (header.length < 16) return { problem: `is truncated: the ${type} box header is cut short` };
    size = Number(header.readBigUInt64BE(8));
    headerSize = 16;
  } else if (size === 0) {
    // Size 0 means "to the end of the file".
    size = fileSize === undefined ? Number.POSITIVE_INFINITY : fileSize - offset;
  }
  if (size < headerSize) return { problem: `is corrupt at byte ${offset}` };
  const end = offset + size;
  if (fileSize !== undefined && end > fileSize) {
    return {
      problem: `is truncated: its ${type} box ends at byte ${end} but the file has ${fileSize} bytes`,
    };
  }
  return { type, size, headerSize, end };
}
