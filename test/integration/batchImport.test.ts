import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { LocalBatchImport } from "../../local/LocalBatchImport";
import { useLocalStack } from "./localStackFixture";

const { context } = useLocalStack();

/** A URL the simulators can download: a presigned GET of a fixture in the local S3. */
async function fixtureUrl(name: string): Promise<string> {
  const { s3, bucket } = context.stack;
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: `inbox/${name}` }), {
    expiresIn: 3600,
  });
}

async function put(key: string, body: string) {
  await context.stack.s3.send(new PutObjectCommand({ Bucket: context.stack.bucket, Key: key, Body: body }));
}

async function readReport(key: string): Promise<Record<string, unknown>[]> {
  const { Body } = await context.stack.s3.send(
    new GetObjectCommand({ Bucket: context.stack.bucket, Key: key }),
  );
  const text = (await Body?.transformToString()) ?? "";
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function keysUnder(prefix: string, delimiter?: string): Promise<string[]> {
  const page = await context.stack.s3.send(
    new ListObjectsV2Command({ Bucket: context.stack.bucket, Prefix: prefix, Delimiter: delimiter }),
  );
  return (page.Contents ?? []).map((object) => object.Key as string);
}

describe("batch import on the local stack", () => {
  it("imports a JSON Lines and a CSV manifest: every row's fate by line, manifests moved, nothing twice", async () => {
    // Prepare
    const good = await fixtureUrl("sample-4s-landscape.mp4");
    const notVideo = await fixtureUrl("not-a-video.mp4");
    context.stack.simulators.vidori?.rejectUrlsMatching(/bad/, "Invalid URL format");
    const vidoriRows = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({
        provider: "vidori",
        source: { url: `https://cdn.example.com/v/${i === 60 ? "bad" : i}.mp4` },
      }),
    );
    const jsonl = [
      JSON.stringify({
        provider: "videodev",
        source: { url: good },
        videodev: { crop: { aspectRatio: "1:1" } },
      }),
      "",
      "{not json",
      JSON.stringify({ provider: "nope", source: { url: "https://cdn.example.com/x.mp4" } }),
      JSON.stringify({ provider: "viostream", source: { bucket: "some-bucket", key: "a.mp4" } }),
      JSON.stringify({ provider: "videodev", source: { url: notVideo } }),
      ...vidoriRows,
      JSON.stringify({ provider: "viostream", source: { url: good }, jobId: "named-viostream-row" }),
    ].join("\n");
    await put("imports/first.jsonl", `${jsonl}\n`);
    const csv = [
      "provider,url,title,jobId,videodev.crop.aspectRatio,vidori.genres",
      `viostream,"${good}","A title, with a comma",,,`,
      `vidori,https://cdn.example.com/c/1.mp4,"Quote ""inside""",,,"[""Sport""]"`,
      "",
      `videodev,${good},,,1:1,`,
      "vidio,not-a-url,,,,",
      `"videodev","${good}","two`,
      `lines",,9:16,`,
      `vidori,https://cdn.example.com/c/2.mp4,,,,"[""Sport""]"`,
    ].join("\r\n");
    await put("imports/Catalog.CSV", `\uFEFF${csv}\r\n`);
    await put("imports/notes.txt", "not a manifest");
    const batch = new LocalBatchImport({
      s3: context.stack.s3,
      bucket: context.stack.bucket,
      pipeline: context.stack.pipeline,
      pipelineOptions: { pollWaitMs: 5, retryWaitMs: 0, rateLimitWaitMs: 0 },
    });
    const requestsBefore = context.stack.simulators.vidori?.requests() ?? 0;

    // Act
    const first = await batch.run();
    const second = await batch.run();

    // Assess: both manifests imported, each with a summary.
    const summaries = first.imported as { file: string; report: string; done: string; rows: number }[];
    expect(summaries.map((summary) => summary.file).sort()).toEqual(["Catalog.CSV", "first.jsonl"]);
    const jsonlSummary = summaries.find((summary) => summary.file === "first.jsonl");
    const csvSummary = summaries.find((summary) => summary.file === "Catalog.CSV");
    expect(jsonlSummary).toMatchObject({ rows: 126, succeeded: 121, failed: 2, rejected: 3 });
    expect(csvSummary).toMatchObject({ rows: 6, succeeded: 5, failed: 0, rejected: 1 });

    // Assess: the JSON Lines report, one line per row, in line order, with physical line numbers.
    const jsonlReport = await readReport(jsonlSummary?.report as string);
    expect(jsonlReport.map((entry) => entry.line)).toEqual([
      1,
      3,
      4,
      5,
      6,
      ...vidoriRows.map((_, i) => 7 + i),
      127,
    ]);
    expect(jsonlReport[0]).toMatchObject({ line: 1, status: "succeeded", result: { provider: "videodev" } });
    expect(jsonlReport[1]).toMatchObject({ line: 3, status: "rejected", problems: [{ field: "(root)" }] });
    expect(jsonlReport[2]).toMatchObject({ line: 4, status: "rejected", problems: [{ field: "provider" }] });
    expect(jsonlReport[3]).toMatchObject({
      line: 5,
      status: "rejected",
      problems: [{ field: "source", problem: "manifest rows need a url source" }],
    });
    expect(jsonlReport[4]).toMatchObject({ line: 6, status: "failed", error: expect.any(String) });
    expect(String(jsonlReport[4]?.reason)).not.toBe("");
    const vidoriEntries = jsonlReport.filter((entry) => Number(entry.line) >= 7 && Number(entry.line) <= 126);
    expect(vidoriEntries.filter((entry) => entry.status === "succeeded")).toHaveLength(119);
    expect(vidoriEntries.find((entry) => entry.line === 67)).toMatchObject({
      status: "failed",
      reason: "Invalid URL format",
    });
    expect(new Set(vidoriEntries.map((entry) => entry.jobId)).size).toBe(3);
    expect((context.stack.simulators.vidori?.requests() ?? 0) - requestsBefore).toBe(4);
    expect(jsonlReport.at(-1)).toMatchObject({
      line: 127,
      status: "succeeded",
      jobId: "named-viostream-row",
    });

    // Assess: the CSV report, the header being line 1 and the two-line record starting on line 7.
    const csvReport = await readReport(csvSummary?.report as string);
    expect(csvReport.map((entry) => [entry.line, entry.status])).toEqual([
      [2, "succeeded"],
      [3, "succeeded"],
      [5, "succeeded"],
      [6, "rejected"],
      [7, "succeeded"],
      [9, "succeeded"],
    ]);
    expect(csvReport[1]?.jobId).toBe(csvReport[5]?.jobId);
    expect(csvReport[1]?.result).toMatchObject({ status: "accepted" });
    expect(csvReport[3]).toMatchObject({ problems: [{ field: "source.url" }] });

    // Assess: manifests moved out of imports/ and into done/; a second run finds nothing to import.
    expect(await keysUnder("imports/", "/")).toEqual(["imports/notes.txt"]);
    expect(await keysUnder("imports/done/")).toEqual(
      expect.arrayContaining([jsonlSummary?.done, csvSummary?.done]),
    );
    expect(second).toMatchObject({ manifests: [], imported: [] });
  });

  it("runs a group of long-URL Vidori rows with its sources and assets in job files, every row in the report", async () => {
    // Prepare: 50 rows (one Vidori request) whose URLs end in 2,000-character file names.
    const rows = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({
        provider: "vidori",
        source: { url: `https://cdn.example.com/long/${"n".repeat(2000)}-${i}.mp4` },
      }),
    );
    await put("imports/long.jsonl", `${rows.join("\n")}\n`);
    const largest = { bytes: 0, what: "" };
    const measure = (what: string, value: unknown) => {
      const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
      if (bytes > largest.bytes) Object.assign(largest, { bytes, what });
    };
    const batch = new LocalBatchImport({
      s3: context.stack.s3,
      bucket: context.stack.bucket,
      pipeline: context.stack.pipeline,
      pipelineOptions: {
        pollWaitMs: 5,
        retryWaitMs: 0,
        rateLimitWaitMs: 0,
        onEvent: (event) => {
          if (event.type === "ExecutionStarted") measure("execution input", event.input);
          if ("state" in event && event.state) {
            measure(`${event.state.name} input`, event.state.input);
            measure(`${event.state.name} output`, event.state.output);
          }
        },
      },
    });

    // Act
    const run = await batch.run();

    // Assess: one job, its state far from the limit, and every row's own asset in the report.
    const [summary] = run.imported as { report: string; rows: number; succeeded: number }[];
    expect(summary).toMatchObject({ rows: 50, succeeded: 50 });
    expect(largest.bytes, largest.what).toBeLessThan(64 * 1024);
    expect(await keysUnder("jobs/")).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/sources-[0-9a-f]+\.json$/)]),
    );
    const report = await readReport(summary?.report as string);
    expect(report.map((entry) => entry.status)).toEqual(rows.map(() => "succeeded"));
    expect(report[49]?.result).toMatchObject({
      index: 49,
      status: "accepted",
      source: expect.stringMatching(/-49\.mp4/),
    });
  });
});
