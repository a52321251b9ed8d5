import "./quietHandlerLogs";
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { InvalidInputError } from "../functions/pipeline/InvalidInputError";
import { type Job, PROVIDERS, type Provider, parseJobSpec } from "../functions/pipeline/jobSpec";
import type { PipelineOutcome, PipelineProgress } from "../local/LocalPipeline";
import { LocalStack } from "../local/LocalStack";

const SAMPLE = fileURLToPath(new URL("../test/fixtures/sample-4s-landscape.mp4", import.meta.url));
const PROVIDER_NAMES: Record<Provider, string> = { apivideo: "api.video", videodev: "video.dev" };

const HELP = `vidstep: move a video through video platforms with the pipeline's state machine, on this machine.

Usage:
  npm start                               run the sample video through every provider (simulated)
  npm run vidstep -- run [options]        the same, with options
  npm run vidstep -- validate <job.json>  check a job spec and print it with its defaults
  npm run vidstep -- --help

Options for run:
  --file <path>           the video to send (default: the 4 s sample in test/fixtures)
  --provider <name>       ${PROVIDERS.join(", ")} or all (default: all)
  --job <job.json>        a job spec file; its source is replaced by the uploaded --file
                          unless it names a url
  --title <text>          the title providers show (default: the file name)
  --aspect-ratio <ratio>  video.dev crop aspect ratio (default 9:16)
  --clip <start-end>      video.dev clip in milliseconds, e.g. 500-3000 (default: whole video)
  --faults                inject 429s and 5xx into the simulators: the run must still succeed
  --fail                  make the simulators fail the encoding/render: the run ends in a failure record
  --json                  print one JSON line per job instead of text
  -h, --help              this text

Providers are simulated on 127.0.0.1 unless their keys are in the environment
(APIVIDEO_API_KEY, VIDEODEV_API_KEY; base URLs APIVIDEO_BASE_URL, VIDEODEV_BASE_URL).
No AWS account is needed: S3 is s3rver on 127.0.0.1.
Exit status: 0 when every job succeeded, 1 when one failed, 2 on bad usage or input.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: "string" },
      provider: { type: "string", default: "all" },
      job: { type: "string" },
      title: { type: "string" },
      "aspect-ratio": { type: "string" },
      clip: { type: "string" },
      faults: { type: "boolean", default: false },
      fail: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0] ?? "run";
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (command === "validate") {
    const path = positionals[1];
    if (!path) throw new UsageError("validate needs a job spec file: npm run vidstep -- validate job.json");
    console.log(JSON.stringify(parseJobSpec(await readJson(path)), null, 2));
    return 0;
  }
  if (command !== "run") throw new UsageError(`unknown command "${command}" (try --help)`);

  const providers = selectProviders(values.provider);
  const file = resolve(values.file ?? SAMPLE);
  const size = await fileSize(file);
  const baseSpec = values.job ? await readJson(values.job) : {};
  const log = values.json ? () => undefined : (line: string) => console.log(line);

  const stack = await LocalStack.start();
  try {
    for (const endpoint of stack.endpoints) {
      log(
        `${PROVIDER_NAMES[endpoint.provider]}: ${endpoint.simulated ? "simulator" : "REAL provider"} at ${endpoint.baseUrl}`,
      );
    }
    const key = `inbox/${basename(file)}`;
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: await readFile(file),
        ContentLength: size,
      }),
    );
    log(
      `put ${basename(file)} (${formatBytes(size)}) into s3://${stack.bucket}/${key} on ${stack.s3Server.endpoint}`,
    );

    let failures = 0;
    for (const provider of providers) {
      const job = buildJob(provider, baseSpec, { bucket: stack.bucket, key }, values);
      armSimulators(stack, provider, values);
      log(`\n${PROVIDER_NAMES[provider]} · job ${job.jobId}`);
      const started = Date.now();
      const outcome = await stack.pipeline.run(job, {
        retryWaitMs: values.faults ? 50 : undefined,
        rateLimitWaitMs: undefined,
        onProgress: values.json ? undefined : progressPrinter(started),
      });
      if (outcome.status === "failed") failures += 1;
      if (values.json) console.log(JSON.stringify({ provider, jobId: job.jobId, ...outcome }));
      else printOutcome(outcome, Date.now() - started);
    }
    log(failures === 0 ? "\nall jobs succeeded" : `\n${failures} of ${providers.length} jobs failed`);
    return failures === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

function buildJob(
  provider: Provider,
  baseSpec: unknown,
  s3Source: { bucket: string; key: string },
  values: { title?: string; "aspect-ratio"?: string; clip?: string },
): Job {
  const spec = { ...(baseSpec as Record<string, unknown>) };
  const source = spec.source as { url?: string } | undefined;
  if (!source?.url) spec.source = s3Source;
  spec.provider = provider;
  if (values.title) spec.title = values.title;
  if (provider === "videodev") {
    const options = { ...(spec.videodev as Record<string, unknown> | undefined) };
    if (values["aspect-ratio"]) {
      options.crop = { ...(options.crop as object | undefined), aspectRatio: values["aspect-ratio"] };
    }
    if (values.clip) options.clip = parseClip(values.clip);
    spec.videodev = options;
  }
  if (provider !== "videodev") delete spec.videodev;
  if (provider !== "apivideo") delete spec.apivideo;
  return parseJobSpec(spec);
}

function parseClip(text: string): { startMs: number; endMs: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--clip must look like 500-3000 (milliseconds), got "${text}"`);
  return { startMs: Number(match[1]), endMs: Number(match[2]) };
}

function armSimulators(stack: LocalStack, provider: Provider, values: { faults?: boolean; fail?: boolean }) {
  const simulator = stack.simulators[provider];
  if (!simulator) return;
  simulator.server.faults.clear();
  if (values.faults) {
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 1 }).unavailable({ times: 2 });
  }
  if (values.fail) {
    if (provider === "apivideo") stack.simulators.apivideo?.failNextEncoding();
    else stack.simulators.videodev?.failNextRender("the render farm rejected the clip");
  }
}

function progressPrinter(started: number) {
  const entries = new Map<string, number>();
  return (progress: PipelineProgress) => {
    const at = `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
    if (progress.kind === "entered") {
      // Poll loops wait between polls; the count says more than a line per wait.
      if (progress.state.startsWith("Wait before")) return;
      const count = (entries.get(progress.state) ?? 0) + 1;
      entries.set(progress.state, count);
      const suffix = progress.state.startsWith("Poll") ? ` #${count}` : count > 1 ? ` (again, ${count})` : "";
      const label =
        progress.state === "Wait Retry-After"
          ? "rate limited: waiting as the provider asked"
          : progress.state;
      console.log(`  ${at}  ${label}${suffix}`);
    } else printOther(progress, at);
  };
}

function printOther(progress: PipelineProgress, at: string) {
  if (progress.kind === "retried") console.log(`  ${at}  ↻ retrying ${progress.state} (${progress.detail})`);
  else if (progress.kind === "caught") console.log(`  ${at}  ! ${progress.state} failed: ${progress.detail}`);
}

function printOutcome(outcome: PipelineOutcome, elapsedMs: number) {
  const took = `${(elapsedMs / 1000).toFixed(1)} s`;
  const fields = outcome.status === "succeeded" ? outcome.result : outcome.record;
  console.log(outcome.status === "succeeded" ? `  ✓ succeeded in ${took}` : `  ✗ failed after ${took}`);
  const width = Math.max(...Object.keys(fields).map((key) => key.length));
  for (const [key, value] of Object.entries(fields)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    console.log(`    ${key.padEnd(width)}  ${text}`);
  }
}

function selectProviders(choice: string | undefined): Provider[] {
  if (choice === undefined || choice === "all") return [...PROVIDERS];
  if ((PROVIDERS as readonly string[]).includes(choice)) return [choice as Provider];
  throw new UsageError(`--provider must be one of ${PROVIDERS.join(", ")}, all; got "${choice}"`);
}

async function fileSize(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`--file: no such file "${path}"`);
  return info.size;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch(() => {
    throw new UsageError(`cannot read job spec "${path}"`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`job spec "${path}" is not JSON: ${(error as Error).message}`);
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof InvalidInputError) {
      console.error(`vidstep: ${error.message}`);
      process.exitCode = 2;
    } else if (
      error instanceof TypeError &&
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`vidstep: ${error.message} (try --help)`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
