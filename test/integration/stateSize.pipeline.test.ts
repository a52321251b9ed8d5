import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonBytes } from "../../functions/pipeline/jobFiles";
import { MAX_SOURCES, parseJobSpec } from "../../functions/pipeline/jobSpec";
import { readJobResult } from "../../functions/results/jobResult";
import type { EventLog } from "../../local/LocalPipeline";
import { useLocalStack } from "./localStackFixture";

const { context } = useLocalStack();

/** Step Functions refuses a state's input or output, or an execution's input, above 256 KiB; keep a margin. */
const STATE_BUDGET_BYTES = 200 * 1024;
/** S3's longest key. */
const MAX_KEY_CHARS = 1024;
const FAST = { pollWaitMs: 5, retryWaitMs: 0, rateLimitWaitMs: 0 };

/**
 * A 1,024-character key for source `index`. s3rver keeps each key as a path on disk, where one name may
 * have at most 255 bytes and the local store adds a temporary suffix, so the key is cut into folders of 180.
 */
function longKey(index: number): string {
  const file = `-${String(index).padStart(3, "0")}.MOV`;
  const filler = "k".repeat(MAX_KEY_CHARS - "inbox/".length - file.length);
  const segments = `${filler}${file}`.match(/.{1,180}/g) ?? [];
  // Slashes take the place of filler characters, so the key keeps its length.
  return `inbox/${segments.join("/").slice(segments.length - 1)}`;
}

/** Puts `count` copies of one small video under 1,024-character keys; answers them as job sources. */
async function manyLongKeyedSources(count: number) {
  const body = await readFile(new URL("../fixtures/sample-3s-portrait.MOV", import.meta.url));
  const { s3, bucket } = context.stack;
  const sources = Array.from({ length: count }, (_, index) => ({ bucket, key: longKey(index) }));
  for (let first = 0; first < count; first += 25) {
    await Promise.all(
      sources
        .slice(first, first + 25)
        .map((source) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: source.key, Body: body }))),
    );
  }
  return sources;
}

/** Runs a job and measures every state's input and output, and the execution's input and output. */
async function runMeasured(spec: Record<string, unknown>) {
  const sizes: { what: string; bytes: number }[] = [];
  const measure = (what: string, value: unknown) => {
    if (value !== undefined) sizes.push({ what, bytes: jsonBytes(value) });
  };
  const outcome = await context.stack.pipeline.run(parseJobSpec(spec), {
    ...FAST,
    onEvent: (event: EventLog) => {
      if (event.type === "ExecutionStarted") measure("execution input", event.input);
      if (event.type === "ExecutionSucceeded") measure("execution output", event.output);
      if ("state" in event && event.state) {
        measure(`${event.state.name} input`, event.state.input);
        measure(`${event.state.name} output`, event.state.output);
      }
    },
  });
  const largest = sizes.reduce((max, size) => (size.bytes > max.bytes ? size : max), { what: "", bytes: 0 });
  return { outcome, largest, measured: sizes.length };
}

/** Enough objects for the biggest job of any provider, put once: s3rver takes a while for hundreds. */
const OBJECTS = Math.max(...Object.values(MAX_SOURCES));
/** Putting hundreds of objects and running a job through hundreds of sources takes a while on a busy machine. */
const SLOW_MS = 180_000;
let longKeyed: { bucket: string; key: string }[] = [];

beforeAll(async () => {
  longKeyed = await manyLongKeyedSources(OBJECTS);
}, SLOW_MS);

describe("state size of the biggest jobs the schema allows", () => {
  it(
    "keeps every state of a 500-source Vidori job with 1,024-character keys under 200 KiB",
    async () => {
      // Prepare
      const sources = longKeyed.slice(0, MAX_SOURCES.vidori);
      const spec = { provider: "vidori", jobId: "biggest-vidori", sources };
      expect(jsonBytes(spec)).toBeGreaterThan(256 * 1024);

      // Act
      const { outcome, largest, measured } = await runMeasured(spec);

      // Assess
      expect(outcome).toMatchObject({ status: "succeeded", result: { accepted: 500, failed: 0 } });
      expect(measured).toBeGreaterThan(20);
      expect(largest.bytes, largest.what).toBeLessThan(STATE_BUDGET_BYTES);
      // The result file still lists every asset, each naming its source.
      const written = await readJobResult(context.stack.s3, context.stack.bucket, "biggest-vidori");
      const result = written?.result as { assets?: { index: number; source: string }[] } | undefined;
      const assets = result?.assets ?? [];
      expect(assets.map((asset) => asset.index)).toEqual(sources.map((_, index) => index));
      expect(assets[499]?.source).toContain(sources[499]?.key);
    },
    SLOW_MS,
  );

  it(
    "keeps every state of a 400-input VIDIO job with 1,024-character keys under 200 KiB",
    async () => {
      // Prepare
      const sources = longKeyed.slice(0, MAX_SOURCES.vidio);
      const spec = { provider: "vidio", jobId: "biggest-vidio", sources, vidio: { outputLengthSeconds: 60 } };
      expect(jsonBytes(spec)).toBeGreaterThan(256 * 1024);

      // Act
      const { outcome, largest } = await runMeasured(spec);

      // Assess
      expect(outcome).toMatchObject({
        status: "succeeded",
        result: { inputs: 400, outputLengthSeconds: 60 },
      });
      expect(largest.bytes, largest.what).toBeLessThan(STATE_BUDGET_BYTES);
      const reel = context.stack.simulators.vidio?.job(
        String(outcome.status === "succeeded" && outcome.result.vidioJobId),
      );
      expect(reel?.input_keys).toHaveLength(400);
    },
    SLOW_MS,
  );
});
