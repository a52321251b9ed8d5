import { RESERVED_KEY_PROBLEM, RESERVED_KEYS } from "../input/reservedKeys";
import { checkParsedJson, parseStrictJsonObject } from "../input/strictJson";
import { type Job, type JobSource, parseJobSpec } from "../pipeline/jobSpec";
import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
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
  for await (const { line, text, notUtf8 } of lines) {
    if (notUtf8) yield { line, problems: [{ field: "(root)", ...notUtf8 }] };
    else if (text.trim() !== "")
      yield rowOf(line, () => parseStrictJsonObject(text, { what: "row", field: "(root)" }));
  }
}

async function* csvSpecs(lines: AsyncIterable<NumberedLine>): AsyncGenerator<RawRow> {
  let header: string[] | undefined;
  let headerProblems: ReturnType<typeof csvHeaderProblems> = [];
  for await (const record of csvRecords(lines)) {
    if ("problem" in record) {
      yield { line: record.line, problems: [record.problem] };
      continue;
    }
    if (header === undefined) {
      header = record.fields.map((name) => name.trim());
      headerProblems = csvHeaderProblems(header);
      continue;
    }
    if (record.fields.length > header.length) {
      const problem = `has ${record.fields.length} fields but the header names ${header.length}`;
      yield { line: record.line, problems: [{ field: "(row)", problem, value: record.fields.length }] };
      continue;
    }
    if (headerProblems.length > 0) {
      // A column the row cannot be read without: every row says why, naming the column and its cell.
      const cells = record.fields;
      yield {
        line: record.line,
        problems: headerProblems.map(({ column, problem }) => ({ ...problem, value: cells[column] ?? "" })),
      };
      continue;
    }
    const spec = header;
    yield rowOf(record.line, () => csvSpec(spec, record.fields));
  }
}

/** A row's value, or its problems when reading it threw an InvalidInputError. */
function rowOf(line: number, read: () => unknown): RawRow {
  try {
    return { line, value: read() };
  } catch (error) {
    if (error instanceof InvalidInputError) return { line, problems: error.problems };
    throw error;
  }
}

/** Header columns no row can use: a reserved name in any dotted segment, or a column named twice. */
export function csvHeaderProblems(header: readonly string[]): { column: number; problem: FieldProblem }[] {
  return header.flatMap((name, column) => {
    if (name.split(".").some((segment) => RESERVED_KEYS.has(segment))) {
      return [
        {
          column,
          problem: { field: name, problem: `is a header column whose name ${RESERVED_KEY_PROBLEM}` },
        },
      ];
    }
    if (header.indexOf(name) !== column) {
      return [
        {
          column,
          problem: { field: name, problem: "is a header column named twice: a column may appear once" },
        },
      ];
    }
    return [];
  });
}

/**
 * A job spec from one CSV record: `provider`, `url`, `title` and `jobId` as text; a dotted column such as
 * `videodev.crop.aspectRatio` sets that option, its cell read as JSON when it is valid JSON (numbers,
 * booleans, `["a","b"]`) and as text otherwise. Empty cells are left out, so defaults apply. Objects are built
 * without a prototype, so no column name can reach one (reserved names are refused before this).
 */
export function csvSpec(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const spec: Record<string, unknown> = Object.create(null);
  header.forEach((column, index) => {
    const cell = fields[index];
    if (cell === undefined || cell === "") return;
    if (column === "url") spec.source = { url: cell };
    else if (CSV_COLUMNS.has(column)) spec[column] = cell;
    else setPath(spec, column.split("."), column.includes(".") ? cellValue(column, cell) : cell);
  });
  return spec;
}

/** A cell as JSON when it parses as JSON (then held to the same rules as any JSON input), else as text. */
function cellValue(column: string, cell: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(cell);
  } catch {
    return cell;
  }
  checkParsedJson(cell, value, { what: "row", field: column, keyPrefix: column });
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = next !== null && typeof next === "object" ? next : Object.create(null);
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
