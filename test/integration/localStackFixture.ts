import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll } from "vitest";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import type { LocalRunOptions, PipelineProgress } from "../../local/LocalPipeline";
import { LocalStack } from "../../local/LocalStack";

/** The fixtures every pipeline test can use as sources, by name. */
export const FIXTURES = [
  "sample-4s-landscape.mp4",
  "sample-3s-portrait.MOV",
  "sample-6s-moov-at-end.mp4",
  "truncated.mp4",
  "not-a-video.mp4",
] as const;

/** Waits shortened to milliseconds; retries, catches and every other rule of the definition run as written. */
const FAST: LocalRunOptions = { pollWaitMs: 5, retryWaitMs: 0, rateLimitWaitMs: 0 };

/**
 * Starts a local stack (s3rver and every simulator on 127.0.0.1, the real definition in process) for the
 * file's tests, with the fixtures in its bucket under `inbox/`, and clears fault switches between tests.
 */
export function useLocalStack() {
  const context = { stack: undefined as unknown as LocalStack };
  beforeAll(async () => {
    context.stack = await LocalStack.start({ processingMs: 40, env: {}, runOptions: FAST });
    for (const name of FIXTURES) {
      const body = await readFile(new URL(`../fixtures/${name}`, import.meta.url));
      await context.stack.s3.send(
        new PutObjectCommand({ Bucket: context.stack.bucket, Key: `inbox/${name}`, Body: body }),
      );
    }
  });
  afterAll(async () => {
    await context.stack?.stop();
  });
  afterEach(() => {
    for (const simulator of Object.values(context.stack.simulators)) simulator?.server.faults.clear();
    context.stack.simulators.vidori?.clearRejections();
  });

  /** An S3 source of the local bucket. */
  const s3 = (name: (typeof FIXTURES)[number]) => ({ bucket: context.stack.bucket, key: `inbox/${name}` });

  /** Runs a job spec through the pipeline; returns the outcome and the states entered, in order. */
  async function run(spec: Record<string, unknown>) {
    const progress: PipelineProgress[] = [];
    const outcome = await context.stack.pipeline.run(parseJobSpec(spec), {
      ...FAST,
      onProgress: (p) => progress.push(p),
    });
    const entered = progress.filter((p) => p.kind === "entered").map((p) => p.state);
    const retried = progress.filter((p) => p.kind === "retried").map((p) => p.state);
    return { outcome, entered, retried, progress };
  }

  return { context, s3, run };
}
