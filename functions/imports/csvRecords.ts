import { MAX_LINE_CHARS, ManifestFormatError, type NumberedLine } from "./numberedLines";

/** One CSV record: its fields, and the physical line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record that cannot be split into fields; the rows after it are still read. */
export interface CsvProblem {
  line: number;
  problem: string;
}

/**
 * Splits numbered lines into CSV records by RFC 4180: comma-separated fields, double quotes around a field
 * that holds commas, quotes or line breaks, and `""` for a quote inside one. Blank lines are skipped (their
 * numbers still count). Lenient where the RFC is silent: a quote inside an unquoted field is kept as text.
 */
export async function* csvRecords(
  lines: AsyncIterable<NumberedLine>,
): AsyncGenerator<CsvRecord | CsvProblem> {
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let startLine = 0;
  let length = 0;
  for await (const { line, text } of lines) {
    if (!quoted) {
      if (text.trim() === "") continue;
      startLine = line;
      fields = [];
      field = "";
      length = 0;
    } else {
      field += "\n";
    }
    length += text.length;
    if (length > MAX_LINE_CHARS) {
      throw new ManifestFormatError(`the record starting on line ${startLine} never closes its quotes`);
    }
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (quoted) {
        if (char !== '"') field += char;
        else if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else if (char === ",") {
        fields.push(field);
        field = "";
      } else if (char === '"' && field === "") {
        quoted = true;
      } else {
        field += char;
      }
    }
    if (!quoted) {
      fields.push(field);
      yield { line: startLine, fields };
    }
  }
  if (quoted) yield { line: startLine, problem: "has a quoted field that is never closed" };
}
