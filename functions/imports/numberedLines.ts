import { decodeUtf8, describeRefusal } from "../input/strictUtf8";

/** One physical line of a text file, numbered from 1, without its line break. */
export interface NumberedLine {
  line: number;
  text: string;
  /** Set when the line's bytes are not UTF-8: its row is refused, and `text` is a lossy decode. */
  notUtf8?: { problem: string; value: string };
}

/** Longer than this, a "line" is a file without line breaks or a runaway field: refused, not buffered. */
export const MAX_LINE_CHARS = 1024 * 1024;

/** A manifest that cannot be read as a whole (as opposed to one bad row, which is reported and skipped). */
export class ManifestFormatError extends Error {
  override readonly name = "ManifestFormatError";
}

const LF = 0x0a;
const CR = 0x0d;
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Splits streamed bytes into numbered lines, holding one line at a time: `\n`, `\r\n` and a lone `\r` end a
 * line, and a leading byte order mark is dropped (spreadsheets write one). Lines are split as bytes (neither
 * break can be part of a UTF-8 character) and each is decoded as strict UTF-8, so a bad byte costs its own
 * row only, and its error can name the line and the byte.
 */
export async function* numberedLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<NumberedLine> {
  const encoder = new TextEncoder();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let line = 0;
  let skipLf = false;
  const take = (last: Uint8Array): NumberedLine => {
    line += 1;
    const bytes = pending.length === 0 ? last : concat([...pending, last], pendingBytes + last.length);
    pending = [];
    pendingBytes = 0;
    return decodeLine(line, bytes);
  };
  for await (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    if (skipLf && bytes.length > 0) {
      // The `\n` of a `\r\n` split across chunks.
      if (bytes[0] === LF) start = 1;
      skipLf = false;
    }
    let lf = bytes.indexOf(LF, start);
    let cr = bytes.indexOf(CR, start);
    for (;;) {
      if (lf >= 0 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end < 0) break;
      yield take(bytes.subarray(start, end));
      start = end + 1;
      if (end === cr) {
        if (start === bytes.length) skipLf = true;
        else if (bytes[start] === LF) start += 1;
      }
    }
    if (start < bytes.length) {
      // A copy: the stream may reuse the chunk's buffer.
      pending.push(bytes.slice(start));
      pendingBytes += bytes.length - start;
    }
    if (pendingBytes > MAX_LINE_CHARS) {
      throw new ManifestFormatError(`line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
    }
  }
  if (pendingBytes > 0) yield take(new Uint8Array(0));
}

function decodeLine(line: number, bytes: Uint8Array): NumberedLine {
  const first = line === 1;
  const decoded = decodeUtf8(bytes, { keepBom: !first });
  if ("text" in decoded) return { line, text: decoded.text };
  const { problem, value } = describeRefusal(decoded);
  return {
    line,
    text: lossy.decode(bytes),
    notUtf8: { problem: `line ${line} ${problem}`, value },
  };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
