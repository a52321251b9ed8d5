import { describe, expect, it } from "vitest";
import { type ManifestRow, manifestRows } from "../../functions/imports/manifestRows";
import { MAX_LINE_CHARS } from "../../functions/imports/numberedLines";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import { BAD_SPECS, expectNamed, GOOD_SPECS, VALID_SPEC } from "./badSpecs";

const encoder = new TextEncoder();
const GOOD_ROW = JSON.stringify({
  provider: "viostream",
  source: { url: "https://media.example.com/ok.mp4" },
});

async function rowsOf(format: "jsonl" | "csv", ...parts: (string | Uint8Array)[]): Promise<ManifestRow[]> {
  const bytes = parts.map((part) => (typeof part === "string" ? encoder.encode(part) : part));
  const rows: ManifestRow[] = [];
  for await (const row of manifestRows(
    format,
    (async function* () {
      yield* bytes;
    })(),
    "m-1",
  )) {
    rows.push(row);
  }
  return rows;
}

/** The problems of the row on `line`, failing when that row was accepted. */
function problemsOn(rows: ManifestRow[], line: number) {
  const row = rows.find((candidate) => candidate.line === line);
  expect(row, `a row on line ${line}`).toBeDefined();
  expect(row && "problems" in row, `line ${line} is rejected`).toBe(true);
  return row && "problems" in row ? row.problems : [];
}

describe("a bad JSON Lines row is rejected naming its line, the field and the value; its neighbours run", () => {
  // A blank line is no row, and a line over the limit refuses the whole manifest (tested below).
  const fitsOneLine = (body: string | Uint8Array) =>
    typeof body !== "string" || (!body.includes("\n") && body.length <= MAX_LINE_CHARS);
  const cases = BAD_SPECS.filter((bad) => !bad.blank && fitsOneLine(bad.body(VALID_SPEC)));
  it.each(cases.map((bad) => [bad.name, bad] as const))("%s", async (_name, bad) => {
    // Act
    const rows = await rowsOf("jsonl", `${GOOD_ROW}\n`, bad.body(VALID_SPEC), `\n${GOOD_ROW}\n`);

    // Assess
    expectNamed(problemsOn(rows, 2), bad, "(root)");
    expect(rows.filter((row) => "job" in row).map((row) => row.line)).toEqual([1, 3]);
  });

  it("refuses a manifest with a line over the limit, naming the line", async () => {
    // Act
    const reading = rowsOf("jsonl", `${GOOD_ROW}\n`, "x".repeat(MAX_LINE_CHARS + 1));

    // Assess
    await expect(reading).rejects.toThrow(/line 2 is longer than/);
  });

  it.each(GOOD_SPECS.map((good) => [good.name, good] as const))("accepts %s", async (_name, good) => {
    // Act
    const rows = await rowsOf("jsonl", good.body(VALID_SPEC), `\n${GOOD_ROW}\n`);

    // Assess
    expect(rows.map((row) => ("job" in row ? row.line : row))).toEqual([1, 2]);
  });
});

interface BadCsv {
  name: string;
  csv: string | Uint8Array;
  line: number;
  field: string;
  value: string | null;
}

const HEADER = "provider,url,title";
const OK = "viostream,https://media.example.com/ok.mp4,Fine";
const csvCase = (name: string, header: string, row: string, field: string, value: string | null): BadCsv => ({
  name,
  csv: `${header}\n${row}\n`,
  line: 2,
  field,
  value,
});

const BAD_CSVS: BadCsv[] = [
  csvCase(
    "__proto__.jobId header",
    `${HEADER},__proto__.jobId`,
    `${OK},polluted`,
    "__proto__.jobId",
    "polluted",
  ),
  csvCase("__proto__ header", `${HEADER},__proto__`, `${OK},x`, "__proto__", "x"),
  csvCase("constructor header", `${HEADER},constructor`, `${OK},x`, "constructor", "x"),
  csvCase("prototype header", `${HEADER},prototype`, `${OK},x`, "prototype", "x"),
  csvCase(
    "constructor.prototype header",
    `${HEADER},constructor.prototype.jobId`,
    `${OK},x`,
    "constructor.prototype.jobId",
    "x",
  ),
  csvCase(
    "a reserved option segment",
    `${HEADER},vidori.__proto__.type`,
    `${OK},MOVIE`,
    "vidori.__proto__.type",
    "MOVIE",
  ),
  csvCase(
    "a reserved name, empty cell",
    `${HEADER},videodev.constructor`,
    `${OK},`,
    "videodev.constructor",
    '""',
  ),
  csvCase("a column twice", `${HEADER},provider`, `${OK},vidio`, "provider", "vidio"),
  csvCase("an unknown column", `${HEADER},colour`, `${OK},red`, "colour", "red"),
  csvCase("an unknown provider", HEADER, "youtube,https://media.example.com/a.mp4,x", "provider", "youtube"),
  csvCase("an ftp url", HEADER, "vidio,ftp://media.example.com/a.mp4,x", "source.url", "ftp://"),
  csvCase("a url that is no URL", HEADER, "vidio,not a url,x", "source.url", "not a url"),
  csvCase(
    "a title too long",
    HEADER,
    `vidio,https://media.example.com/a.mp4,${"t".repeat(300)}`,
    "title",
    "tttt",
  ),
  csvCase("a bad jobId", `${HEADER},jobId`, `${OK},my job`, "jobId", "my job"),
  csvCase(
    "a bad VIDIO category",
    `${HEADER},vidio.videoCategory`,
    "vidio,https://media.example.com/a.mp4,x,cats",
    "vidio.videoCategory",
    "cats",
  ),
  csvCase(
    "a bad crop",
    `${HEADER},videodev.crop.aspectRatio`,
    "videodev,https://media.example.com/a.mp4,x,2:1",
    "videodev.crop.aspectRatio",
    "2:1",
  ),
  csvCase(
    "a negative length",
    `${HEADER},vidio.outputLengthSeconds`,
    "vidio,https://media.example.com/a.mp4,x,-3",
    "vidio.outputLengthSeconds",
    "-3",
  ),
  csvCase(
    "a small chunk size",
    `${HEADER},apivideo.chunkSizeMiB`,
    "apivideo,https://media.example.com/a.mp4,x,4",
    "apivideo.chunkSizeMiB",
    "4",
  ),
  csvCase(
    "a year too early",
    `${HEADER},vidori.productionYear`,
    "vidori,https://media.example.com/a.mp4,x,1800",
    "vidori.productionYear",
    "1800",
  ),
  csvCase(
    "genres as text",
    `${HEADER},vidori.genres`,
    "vidori,https://media.example.com/a.mp4,x,Drama",
    "vidori.genres",
    "Drama",
  ),
  csvCase(
    "a JSON cell repeating a key",
    `${HEADER},videodev.crop`,
    'videodev,https://media.example.com/a.mp4,x,"{""aspectRatio"":""1:1"",""aspectRatio"":""9:16""}"',
    "videodev.crop.aspectRatio",
    '["1:1","9:16"]',
  ),
  csvCase(
    "a JSON cell with __proto__",
    `${HEADER},videodev.crop`,
    'videodev,https://media.example.com/a.mp4,x,"{""__proto__"":{""aspectRatio"":""1:1""}}"',
    "videodev.crop.__proto__",
    "1:1",
  ),
  csvCase("more fields than the header", HEADER, `${OK},extra`, "(row)", "4"),
  csvCase(
    "a quote never closed",
    HEADER,
    'vidio,"https://media.example.com/a.mp4,x',
    "(row)",
    "media.example.com",
  ),
  {
    name: "a Latin-1 title",
    csv: Uint8Array.from([
      ...encoder.encode(`${HEADER}\n${OK}\nvidio,https://media.example.com/a.mp4,caf`),
      0xe9,
      0x0a,
    ]),
    line: 3,
    field: "(row)",
    value: "0xE9",
  },
  {
    name: "a jobId used twice",
    csv: `${HEADER},jobId\n${OK},same\n${OK},same\n`,
    line: 3,
    field: "jobId",
    value: "same",
  },
];

describe("a bad CSV row is rejected naming its line, the column and the value", () => {
  it.each(BAD_CSVS.map((bad) => [bad.name, bad] as const))("%s", async (_name, bad) => {
    // Act
    const rows = await rowsOf("csv", bad.csv);

    // Assess
    expectNamed(problemsOn(rows, bad.line), bad, "(row)");
  });

  it("leaves Object.prototype alone, so the next job in the same process still runs", async () => {
    // Act
    const rows = await rowsOf(
      "csv",
      `${HEADER},__proto__.jobId,constructor.prototype.provider\n${OK},polluted,youtube\n`,
    );

    // Assess
    expect(rows).toHaveLength(1);
    expect(Object.hasOwn(Object.prototype, "jobId")).toBe(false);
    expect(Object.hasOwn(Object.prototype, "provider")).toBe(false);
    expect(
      parseJobSpec({ provider: "vidio", source: { url: "https://media.example.com/a.mp4" } }),
    ).toMatchObject({
      provider: "vidio",
    });
  });

  it("accepts a byte order mark and CRLF line ends", async () => {
    // Act
    const rows = await rowsOf("csv", Uint8Array.from([0xef, 0xbb, 0xbf]), `${HEADER}\r\n${OK}\r\n`);

    // Assess
    expect(rows).toEqual([
      expect.objectContaining({ line: 2, job: expect.objectContaining({ provider: "viostream" }) }),
    ]);
  });
});
