import { type Job, type JobSource, parseJobSpec } from "../pipeline/jobSpec";
import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
import { parseJson } from "../steps/recordFailure";
import { csvRecords } from "./csvRecords";
import { type ManifestFormat, rowJobId } from "./manifestFiles";
import { type NumberedLine, numberedLines } from "./numberedLines";

/** A row that is a valid job. `namedJobId`: the row gave its own job id (so it is never grouped). */
export interface AcceptedRow {
  line: number;
  job: Job;
  namedJobId: boolean;
}

/** A row that is not a valid job, with every problem found in it. */
export interface RejectedRow {
  line: number;
  problems: FieldProblem[];
}

export type ManifestRow = AcceptedRow | RejectedRow;

/** The CSV columns that are not provider options. */
const CSV_COLUMNS = new Set(["provider", "url", "title", "jobId"]);

/**
 * Reads a manifest's rows one at a time: each non-blank JSON Lines line, or each CSV record after the header,
 * becomes a job (validated as any job spec, with a URL source) or a rejection naming its line and problems.
 */
export async function* manifestRows(
  format: ManifestFormat,
  chunks: AsyncIterable<Uint8Array | string>,
  manifestId: string,
): AsyncGenerator<ManifestRow> {
  const named = new Map<string, number>();
  const specs = format === "csv" ? csvSpecs(numberedLines(chunks)) : jsonLinesSpecs(numberedLines(chunks));
  for await (const spec of specs) {
    yield spec.problems !== undefined
      ? { line: spec.line, problems: spec.problems }
      : toRow(spec.line, spec.value, manifestId, named);
  }
}

/** A row read but not yet validated, or already known to be bad. */
type RawRow = { line: number; value: unknown; problems?: undefined } | RejectedRow;

async function* jsonLinesSpecs(lines: AsyncIterable<NumberedLine>): AsyncGenerator<RawRow> {
  for await (const { line, text } of lines) {
    if (text.trim() === "") continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      yield { line, problems: [{ field: "(root)", problem: `is not valid JSON: ${reason}` }] };
    }
  }
}

async function* csvSpecs(lines: AsyncIterable<NumberedLine>): AsyncGenerator<RawRow> {
  let header: string[] | undefined;
  for await (const record of csvRecords(lines)) {
    if ("problem" in record) {
      yield { line: record.line, problems: [{ field: "(row)", problem: record.problem }] };
      continue;
    }
    if (header === undefined) {
      header = record.fields.map((name) => name.trim());
      continue;
    }
    if (record.fields.length > header.length) {
      const problem = `has ${record.fields.length} fields but the header names ${header.length}`;
      yield { line: record.line, problems: [{ field: "(row)", problem }] };
      continue;
    }
    yield { line: record.line, value: csvSpec(header, record.fields) };
  }
}

/**
 * A job spec from one CSV record: `provider`, `url`, `title` and `jobId` as text; a dotted column such as
 * `videodev.crop.aspectRatio` sets that option, its cell read as JSON when it is valid JSON (numbers,
 * booleans, `["a","b"]`) and as text otherwise. Empty cells are left out, so defaults apply.
 */
export function csvSpec(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const cell = fields[index];
    if (cell === undefined || cell === "") return;
    if (column === "url") spec.source = { url: cell };
    else if (CSV_COLUMNS.has(column)) spec[column] = cell;
    else setPath(spec, column.split("."), column.includes(".") ? (parseJson(cell) ?? cell) : cell);
  });
  return spec;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = next !== null && typeof next === "object" ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
}

function toRow(line: number, value: unknown, manifestId: string, named: Map<string, number>): ManifestRow {
  let job: Job;
  try {
    job = parseJobSpec(value, () => rowJobId(manifestId, line));
  } catch (error) {
    if (error instanceof InvalidInputError) return { line, problems: error.problems };
    throw error;
  }
  const single = (value as { source?: unknown }).source !== undefined;
  const problems: FieldProblem[] = job.sources.flatMap((source: JobSource, index) =>
    source.url === undefined
      ? [{ field: single ? "source" : `sources.${index}`, problem: "manifest rows need a url source" }]
      : [],
  );
  const givenJobId = (value as { jobId?: unknown }).jobId !== undefined;
  if (givenJobId) {
    const earlier = named.get(job.jobId);
    if (earlier !== undefined) {
      problems.push({ field: "jobId", problem: `is already used on line ${earlier}`, value: job.jobId });
    } else {
      named.set(job.jobId, line);
    }
  }
  return problems.length > 0 ? { line, problems } : { line, job, namedJobId: givenJobId };
}
