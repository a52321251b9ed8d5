/**
 * Benchmarks, written to bench/results/latest.json. Timing on a shared machine is noisy, so the only
 * pass/fail target is memory: an api.video upload must hold about one chunk at a time, so the peak
 * resident memory it adds must not grow with the file size.
 */
import "../local/polyfills";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { s3ObjectSource } from "../functions/pipeline/s3ObjectSource";
import { ApiVideoClient } from "../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../functions/providers/apivideo/ApiVideoSimulator";
import { LocalS3 } from "../local/LocalS3";
import { measureManifestPlan } from "./manifestPlan";

const MIB = 1024 * 1024;
const CHUNK_MIB = 8;
const SIZES_MIB = [64, 512];

interface UploadRun {
  fileMiB: number;
  chunkMiB: number;
  seconds: number;
  mibPerSecond: number;
  peakRssGrowthMiB: number;
}

async function makeFile(directory: string, sizeMiB: number): Promise<string> {
  const path = join(directory, `bench-${sizeMiB}.bin`);
  const file = await open(path, "w");
  const block = Buffer.alloc(MIB, 0x5a);
  for (let written = 0; written < sizeMiB; written++) await file.write(block);
  await file.close();
  return path;
}

async function measureUpload(s3: LocalS3, sizeMiB: number, path: string): Promise<UploadRun> {
  const client = s3.client();
  const key = `bench/${sizeMiB}.bin`;
  await client.send(
    new PutObjectCommand({
      Bucket: s3.bucket,
      Key: key,
      Body: createReadStream(path),
      ContentLength: sizeMiB * MIB,
    }),
  );
  const simulator = new ApiVideoSimulator({ processingMs: 0 });
  const baseUrl = await simulator.start();
  const apiVideo = new ApiVideoClient({ baseUrl, apiKey: simulator.apiKey });
  const video = await apiVideo.createVideo({ jobId: `bench-${sizeMiB}`, title: "bench" });

  global.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const source = await s3ObjectSource(client, s3.bucket, key);
  const result = await apiVideo.uploadSource(video.videoId, source, { chunkSizeBytes: CHUNK_MIB * MIB });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  await simulator.stop();
  client.destroy();
  if (!result.done) throw new Error(`upload of ${sizeMiB} MiB did not finish`);
  return {
    fileMiB: sizeMiB,
    chunkMiB: CHUNK_MIB,
    seconds: round(seconds),
    mibPerSecond: round(sizeMiB / seconds),
    peakRssGrowthMiB: round((peak - baseline) / MIB),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function main() {
  const directory = await mkdtemp(join(tmpdir(), "vidstep-bench-"));
  const s3 = await LocalS3.start("vidstep-bench");
  const runs: UploadRun[] = [];
  try {
    for (const size of SIZES_MIB) {
      process.stdout.write(`api.video chunked upload of ${size} MiB in ${CHUNK_MIB} MiB chunks... `);
      const run = await measureUpload(s3, size, await makeFile(directory, size));
      runs.push(run);
      console.log(`${run.seconds} s, ${run.mibPerSecond} MiB/s, peak RSS +${run.peakRssGrowthMiB} MiB`);
    }
  } finally {
    await s3.stop();
    await rm(directory, { recursive: true, force: true });
  }
  process.stdout.write("batch import: plan a 100,000-row manifest from S3... ");
  const manifestPlan = await measureManifestPlan();
  console.log(`${manifestPlan.rowsPerSecond} rows/s, peak heap +${manifestPlan.peakHeapGrowthMiB} MiB`);
  const small = runs[0] as UploadRun;
  const large = runs.at(-1) as UploadRun;
  // Bounded memory: an 8x larger file may not cost more than a few extra chunks of resident memory.
  const limitMiB = small.peakRssGrowthMiB + 4 * CHUNK_MIB;
  const bounded = large.peakRssGrowthMiB <= limitMiB;
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    uploads: runs,
    manifestPlan,
    target: `peak RSS growth for ${large.fileMiB} MiB <= growth for ${small.fileMiB} MiB + 4 chunks (${limitMiB} MiB)`,
    met: bounded,
  };
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/latest.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `${bounded ? "target met" : "TARGET MISSED"}: ${report.target}; written to bench/results/latest.json`,
  );
  process.exitCode = bounded ? 0 : 1;
}

await main();
