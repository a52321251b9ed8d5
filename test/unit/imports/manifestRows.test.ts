import { describe, expect, it } from "vitest";
import { type ManifestRow, manifestRows } from "../../../functions/imports/manifestRows";

async function rowsOf(format: "jsonl" | "csv", ...chunks: string[]): Promise<ManifestRow[]> {
  const rows: ManifestRow[] = [];
  for await (const row of manifestRows(format, toChunks(chunks), "m-1")) rows.push(row);
  return rows;
}

async function* toChunks(chunks: string[]) {
  for (const chunk of chunks) yield new TextEncoder().encode(chunk);
}

describe("manifestRows", () => {
  it("reads JSON Lines with physical line numbers, skipping blank lines, tolerating a BOM and CRLF", async () => {
    // Prepare
    const text = '\uFEFF{"provider":"vidori","source":{"url":"https://a.example/1.mp4"}}\r\n\r\n{oops\r\n';

    // Act: split mid-line and mid-CRLF, as a stream would be.
    const rows = await rowsOf("jsonl", text.slice(0, 20), text.slice(20, 68), text.slice(68));

    // Assess
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      line: 1,
      job: { provider: "vidori", jobId: "m-1-L1" },
      namedJobId: false,
    });
    expect(rows[1]).toMatchObject({ line: 3, problems: [{ field: "(root)", problem: /not valid JSON/ }] });
  });

  it("rejects a wrong provider, an S3 source and a second use of a job id, naming the field", async () => {
    // Act
    const rows = await rowsOf(
      "jsonl",
      [
        '{"provider":"youtube","source":{"url":"https://a.example/1.mp4"}}',
        '{"provider":"viostream","source":{"bucket":"my-bucket","key":"a.mp4"}}',
        '{"provider":"viostream","jobId":"same","source":{"url":"https://a.example/1.mp4"}}',
        '{"provider":"viostream","jobId":"same","source":{"url":"https://a.example/2.mp4"}}',
      ].join("\n"),
    );

    // Assess
    expect(rows[0]).toMatchObject({ line: 1, problems: [{ field: "provider" }] });
    expect(rows[1]).toMatchObject({
      line: 2,
      problems: [{ field: "source", problem: "manifest rows need a url source" }],
    });
    expect(rows[2]).toMatchObject({ line: 3, job: { jobId: "same" }, namedJobId: true });
    expect(rows[3]).toMatchObject({
      line: 4,
      problems: [{ field: "jobId", problem: "is already used on line 3" }],
    });
  });

  it("reads CSV: quoted commas, doubled quotes, a record over two lines, dotted option columns as JSON", async () => {
    // Prepare
    const csv = [
      "provider,url,title,jobId,videodev.crop.aspectRatio,vidio.outputLengthSeconds,vidori.genres",
      'videodev,https://a.example/1.mp4,"Hello, ""world""",,1:1,,',
      "",
      'vidio,https://a.example/2.mp4,"two',
      'lines",,,20,',
      'vidori,https://a.example/3.mp4,,,,,"[""Sport""]"',
      "vidio,https://a.example/4.mp4,,,,-3,",
      "vidio,https://a.example/5.mp4,,,,,,extra",
    ].join("\n");

    // Act
    const rows = await rowsOf("csv", csv);

    // Assess
    expect(rows.map((row) => row.line)).toEqual([2, 4, 6, 7, 8]);
    expect(rows[0]).toMatchObject({
      job: { provider: "videodev", title: 'Hello, "world"', videodev: { crop: { aspectRatio: "1:1" } } },
    });
    expect(rows[1]).toMatchObject({ job: { title: "two\nlines", vidio: { outputLengthSeconds: 20 } } });
    expect(rows[2]).toMatchObject({ job: { vidori: { genres: ["Sport"] } } });
    expect(rows[3]).toMatchObject({ problems: [{ field: "vidio.outputLengthSeconds", value: -3 }] });
    expect(rows[4]).toMatchObject({ problems: [{ field: "(row)", problem: /8 fields/ }] });
  });

  it("reports a quoted field that never closes on the line it starts", async () => {
    // Act
    const rows = await rowsOf("csv", 'provider,url\nvidori,"https://a.example/1.mp4\n');

    // Assess
    expect(rows).toEqual([
      {
        line: 2,
        problems: [
          {
            field: "(row)",
            problem: "has a quoted field that is never closed",
            value: 'vidori,"https://a.example/1.mp4',
          },
        ],
      },
    ]);
  });
});
