/**
 * Benchmark: plan a 100,000-row manifest from S3 (s3rver), as the Plan manifest Lambda does, and record rows
 * per second and the peak heap while planning. Planning streams, so the heap should stay far below the
 * manifest's size; the figure is recorded, not asserted (timing on a shared machine is noisy).
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { manifestIdOf } from "../functions/imports/manifestFiles";
import { planManifestObject } from "../functions/imports/planManifestObject";
import { LocalS3 } from "../local/LocalS3";

const ROWS = 100_000;
const MIB = 1024 * 1024;

/** What the benchmark records. */
export interface ManifestPlanRun {
  rows: number;
  manifestMiB: number;
  jobs: number;
  seconds: number;
  rowsPerSecond: number;
  peakHeapGrowthMiB: number;
}

function manifestText(): string {
  const providers = ["vidori", "vidori", "videodev", "viostream", "apivideo"];
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const provider = providers[i % providers.length];
    // Every 100th row is bad, so rejections are part of the work.
    lines.push(
      i % 100 === 99
        ? `{"provider":"${provider}","source":{"url":"not a url"}}`
        : `{"provider":"${provider}","title":"Video ${i}","source":{"url":"https://cdn.example.com/v/${i}.mp4"}}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Plans a generated 100,000-row JSON Lines manifest from a local S3 and measures it. */
export async function measureManifestPlan(): Promise<ManifestPlanRun> {
  const s3Server = await LocalS3.start("vidstep-bench-imports");
  const s3 = s3Server.client();
  try {
    const file = "bench.jsonl";
    const manifestId = manifestIdOf(file, "bench");
    const key = `imports/processing/${manifestId}/${file}`;
    let body: string | undefined = manifestText();
    const manifestMiB = Buffer.byteLength(body) / MIB;
    await s3.send(new PutObjectCommand({ Bucket: s3Server.bucket, Key: key, Body: body }));
    body = undefined;

    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 10);
    const started = performance.now();
    const plan = await planManifestObject(s3, s3Server.bucket, { manifestId, file, format: "jsonl", key });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return {
      rows: plan.rows,
      manifestMiB: round(manifestMiB),
      jobs: plan.jobs,
      seconds: round(seconds),
      rowsPerSecond: Math.round(plan.rows / seconds),
      peakHeapGrowthMiB: round((peak - baseline) / MIB),
    };
  } finally {
    s3.destroy();
    await s3Server.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
