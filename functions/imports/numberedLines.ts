/** One physical line of a text file, numbered from 1, without its line break. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** Longer than this, a "line" is a file without line breaks or a runaway field: refused, not buffered. */
export const MAX_LINE_CHARS = 1024 * 1024;

/** A manifest that cannot be read as a whole (as opposed to one bad row, which is reported and skipped). */
export class ManifestFormatError extends Error {
  override readonly name = "ManifestFormatError";
}

/**
 * Splits streamed UTF-8 into numbered lines, holding one line at a time: `\n`, `\r\n` and a lone `\r` end a
 * line, and a leading byte order mark is dropped (spreadsheets write one).
 */
export async function* numberedLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<NumberedLine> {
  // TextDecoder drops a leading BOM from bytes; text chunks are checked by hand below.
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let line = 0;
  let first = true;
  const take = (text: string): NumberedLine => {
    line += 1;
    return { line, text };
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (first && pending.length > 0) {
      if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
      first = false;
    }
    let start = 0;
    for (;;) {
      const lf = pending.indexOf("\n", start);
      const cr = pending.indexOf("\r", start);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      // A `\r` at the end of a chunk may be the first half of `\r\n`: wait for the next chunk.
      if (end < 0 || (end === cr && cr === pending.length - 1)) break;
      yield take(pending.slice(start, end));
      start = end === cr && pending[cr + 1] === "\n" ? cr + 2 : end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      throw new ManifestFormatError(`line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
    }
  }
  pending += decoder.decode();
  if (pending.endsWith("\r")) pending = pending.slice(0, -1);
  if (pending.length > 0) yield take(pending);
}
