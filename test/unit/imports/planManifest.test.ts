import { describe, expect, it } from "vitest";
import type { AcceptedRow, ManifestRow } from "../../../functions/imports/manifestRows";
import { type PlannedJob, planManifest } from "../../../functions/imports/planManifest";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";

function row(line: number, spec: Record<string, unknown>): AcceptedRow {
  return { line, job: parseJobSpec(spec, () => `m-L${line}`), namedJobId: spec.jobId !== undefined };
}

async function* iterate(rows: ManifestRow[]) {
  yield* rows;
}

async function plan(rows: ManifestRow[], groupSize?: number) {
  const jobs: PlannedJob[] = [];
  const rejected: number[] = [];
  const counts = await planManifest(
    iterate(rows),
    { job: async (job) => void jobs.push(job), rejected: async (bad) => void rejected.push(bad.line) },
    groupSize,
  );
  return { counts, jobs, rejected };
}

describe("planManifest", () => {
  it("groups 120 Vidori rows into jobs of 50, 50 and 20, one source per row, in line order", async () => {
    // Prepare
    const rows = Array.from({ length: 120 }, (_, i) =>
      row(i + 1, { provider: "vidori", title: `T${i}`, source: { url: `https://a.example/${i}.mp4` } }),
    );

    // Act
    const { counts, jobs } = await plan(rows);

    // Assess
    expect(counts).toEqual({ rows: 120, jobs: 3, rejected: 0 });
    expect(jobs.map((job) => job.job.sources.length)).toEqual([50, 50, 20]);
    expect(jobs.flatMap((job) => job.lines)).toEqual(rows.map((r) => r.line));
    expect(jobs[0]?.job.jobId).toBe("m-L1");
    expect(jobs[0]?.job.sources[0]).toEqual({ url: "https://a.example/0.mp4", title: "T0" });
    expect(jobs[0]?.job.title).toBeUndefined();
  });

  it("keeps other providers one job per row, separates Vidori rows by options, and counts rejections", async () => {
    // Prepare
    const rows: ManifestRow[] = [
      row(1, { provider: "vidori", source: { url: "https://a.example/1.mp4" } }),
      row(2, { provider: "videodev", source: { url: "https://a.example/2.mp4" } }),
      row(3, {
        provider: "vidori",
        source: { url: "https://a.example/3.mp4" },
        vidori: { genres: ["Sport"] },
      }),
      { line: 4, problems: [{ field: "provider", problem: "bad" }] },
      row(5, { provider: "vidori", source: { url: "https://a.example/5.mp4" } }),
      row(6, { provider: "vidori", jobId: "mine", source: { url: "https://a.example/6.mp4" } }),
    ];

    // Act
    const { counts, jobs, rejected } = await plan(rows, 2);

    // Assess
    expect(counts).toEqual({ rows: 6, jobs: 4, rejected: 1 });
    expect(rejected).toEqual([4]);
    expect(jobs.map((job) => job.lines)).toEqual([[2], [1, 5], [6], [3]]);
  });
});
