import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { ImportSummary } from "../functions/imports/writeImportReport";
import { sourceUrlFor } from "../functions/pipeline/presignedSourceUrl";
import { descriptorOf, PROVIDERS, type Provider } from "../functions/providers/registry";
import type { LocalStack } from "../local/LocalStack";

/**
 * A manifest to show batch imports with nothing to prepare: rows for several providers pointing at the
 * sample videos in the local bucket (presigned, so the simulators can download them), three rows for each
 * provider that groups rows into one job, and two bad rows.
 */
async function sampleManifest(stack: LocalStack): Promise<{ name: string; body: string | Uint8Array }> {
  const video = await sourceUrlFor(stack.s3, { bucket: stack.bucket, key: "inbox/sample-4s-landscape.mp4" });
  const groups = (provider: Provider) => "importGroupSize" in descriptorOf(provider);
  const grouping = PROVIDERS.filter(groups);
  const single = PROVIDERS.filter((provider) => !groups(provider));
  const rows = [
    ...single.slice(0, 2).map((provider) => ({ provider, source: { url: video } })),
    ...grouping.flatMap((provider) =>
      Array.from({ length: 3 }, (_, i) => ({ provider, title: `Asset ${i + 1}`, source: { url: video } })),
    ),
    { provider: single[2] ?? PROVIDERS[0], source: { url: "not-a-url" } },
    { provider: "youtube", source: { url: video } },
  ];
  return { name: "sample-catalog.jsonl", body: `${rows.map((row) => JSON.stringify(row)).join("\n")}\n` };
}

/** Puts manifests under `imports/`, runs one scheduled batch import locally, and prints each row's fate. */
export async function importManifests(
  stack: LocalStack,
  paths: string[],
  log: (line: string) => void,
): Promise<number> {
  const manifests =
    paths.length > 0
      ? await Promise.all(
          // Bytes as they are: the import refuses rows that are not UTF-8 rather than have them decoded lossily here.
          paths.map(async (path) => ({ name: basename(path), body: await readFile(path) })),
        )
      : [await sampleManifest(stack)];
  for (const manifest of manifests) {
    const key = `imports/${manifest.name}`;
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: manifest.body }));
    log(`put ${manifest.name} into s3://${stack.bucket}/${key}`);
  }
  log("running the batch import (claim, plan, one pipeline execution per job, report)...");
  const { imported } = await stack.importManifests();
  let unhappy = 0;
  for (const summary of imported as unknown as ImportSummary[]) {
    log(
      `\n${summary.file}: ${summary.rows} rows · ${summary.succeeded} succeeded · ${summary.failed} failed · ${summary.rejected} rejected`,
    );
    log(`  report: s3://${stack.bucket}/${summary.report}`);
    const report = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: summary.report }));
    for (const line of (await report.Body?.transformToString())?.split("\n").filter(Boolean) ?? []) {
      const row = JSON.parse(line) as {
        line: number;
        status: string;
        jobId?: string;
        problems?: unknown;
        reason?: string;
      };
      const why = row.problems ? ` ${JSON.stringify(row.problems)}` : row.reason ? ` ${row.reason}` : "";
      log(`  line ${row.line}: ${row.status}${row.jobId ? ` (job ${row.jobId})` : ""}${why}`);
    }
    if (summary.failed + summary.rejected > 0) unhappy += 1;
  }
  return unhappy === 0 ? 0 : 1;
}
