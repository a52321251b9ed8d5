import { type CsvError, parse } from "csv-parse";
import type { FieldProblem } from "../providers/core/InvalidInputError";
import { MAX_LINE_CHARS, ManifestFormatError, type NumberedLine } from "./numberedLines";

/** One CSV record: its fields, and the physical line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record that cannot be split into fields, or whose bytes are not UTF-8; the rows after it are still read. */
export interface CsvProblem {
  line: number;
  problem: FieldProblem;
}

/** Lines handed to the parser per write: enough to keep the per-write cost small, few enough to stream. */
const LINES_PER_WRITE = 256;

/**
 * Splits numbered lines into CSV records with csv-parse (RFC 4180: commas, double quotes around a field that
 * holds commas, quotes or line breaks, `""` for a quote inside one). Blank lines are skipped (their numbers
 * still count). Lenient where the RFC is silent: a quote inside an unquoted field is kept as text. A record
 * holding a line that is not UTF-8 is reported, naming the line and the byte, instead of its fields.
 */
export async function* csvRecords(
  lines: AsyncIterable<NumberedLine>,
): AsyncGenerator<CsvRecord | CsvProblem> {
  const ready: (CsvRecord | CsvProblem)[] = [];
  const notUtf8 = new Map<number, FieldProblem>();
  let tooLong: string | undefined;
  const parser = parse({
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    raw: true,
    max_record_size: MAX_LINE_CHARS,
    skip_records_with_error: true,
    // Records are collected here, in order with the problems, rather than read from the stream's side.
    on_record: (extended: unknown, info: { lines: number }) => {
      // With `raw`, csv-parse hands over `{ record, raw }`: the raw text locates the record's first line.
      const { record: fields, raw } = extended as { record: string[]; raw: string };
      const line = startLine(info.lines, raw);
      const problem = firstProblem(notUtf8, line, info.lines);
      if (problem) ready.push({ line, problem });
      else if (!fields.every((field) => field.trim() === "")) ready.push({ line, fields });
      return null;
    },
    on_skip: (error: CsvError | undefined, raw?: string) => {
      const end = (error as { lines?: number } | undefined)?.lines ?? 0;
      const line = startLine(end, raw ?? "");
      if (error?.code === "CSV_MAX_RECORD_SIZE")
        tooLong ??= `the record starting on line ${line} never closes its quotes`;
      else if (error?.code === "CSV_QUOTE_NOT_CLOSED") {
        ready.push({
          line,
          problem: { field: "(row)", problem: "has a quoted field that is never closed", value: clip(raw) },
        });
      } else
        ready.push({
          line,
          problem: { field: "(row)", problem: `cannot be read as CSV: ${error?.message}`, value: clip(raw) },
        });
    },
  });
  let failed: unknown;
  parser.on("error", (error) => {
    failed = error;
  });
  parser.resume();
  const write = (text: string) =>
    new Promise<void>((resolve, reject) =>
      parser.write(text, (error) => (error ? reject(error) : resolve())),
    );
  let batch: string[] = [];
  const drain = function* () {
    if (tooLong !== undefined) throw new ManifestFormatError(tooLong);
    yield* ready.splice(0);
  };
  for await (const { line, text, notUtf8: problem } of lines) {
    if (problem) notUtf8.set(line, { field: "(row)", ...problem });
    batch.push(text, "\n");
    if (batch.length >= 2 * LINES_PER_WRITE) {
      await write(batch.join(""));
      batch = [];
      yield* drain();
    }
  }
  if (batch.length > 0) await write(batch.join(""));
  await new Promise<void>((resolve, reject) => parser.end(() => (failed ? reject(failed) : resolve())));
  yield* drain();
}

/** The line a record starts on: csv-parse counts the line it ends on; its raw text holds the breaks between. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, "").replace(/\n$/, "");
  let breaks = 0;
  for (let at = body.indexOf("\n"); at >= 0; at = body.indexOf("\n", at + 1)) breaks += 1;
  return endLine - breaks;
}

function firstProblem(
  notUtf8: Map<number, FieldProblem>,
  from: number,
  to: number,
): FieldProblem | undefined {
  if (notUtf8.size === 0) return undefined;
  for (let line = from; line <= to; line++) {
    const problem = notUtf8.get(line);
    if (problem) {
      notUtf8.delete(line);
      return problem;
    }
  }
  return undefined;
}

function clip(raw: string | undefined): string {
  const text = (raw ?? "").trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
