import "./quietHandlerLogs";
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect, parseArgs } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { JobSource } from "../functions/pipeline/jobSpec";
import { InvalidInputError } from "../functions/providers/core/InvalidInputError";
import { providerVariable } from "../functions/providers/core/ProviderDescriptor";
import { redactRecord, redactString } from "../functions/providers/core/redactRecord";
import {
  isProvider,
  MAX_SOURCES,
  PROVIDER_DESCRIPTORS,
  PROVIDER_NAMES,
  PROVIDERS,
  type Provider,
} from "../functions/providers/registry";
import { LocalStack } from "../local/LocalStack";
import { armSimulators } from "./armSimulators";
import { buildJob, UsageError } from "./buildJob";
import { checkCredentials } from "./checkCredentials";
import { importManifests } from "./importManifests";
import { JobsApiClient } from "./JobsApiClient";
import { outcomeOf, printOutcome, progressPrinter } from "./printRun";
import { readJobSpecFile, validateJobFile } from "./readJobSpecFile";

const SAMPLES = ["sample-4s-landscape.mp4", "sample-3s-portrait.MOV"].map((name) =>
  fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url)),
);

/** What `check` does per provider, from the descriptors. */
const CREDENTIAL_CHECKS = PROVIDER_DESCRIPTORS.flatMap((d) =>
  "credentialsCheck" in d ? [`${d.id}: ${d.credentialsCheck}`] : [],
).join("; ");

/** The environment variables that switch each provider from its simulator to the real one. */
const KEY_VARIABLES = PROVIDER_DESCRIPTORS.map((d) =>
  Object.keys(d.secret)
    .map((field) => providerVariable(d.id, field))
    .join(" + "),
).join(", ");

/** The providers that take every file of a run, by name. */
const MANY_SOURCES = PROVIDERS.filter((provider) => MAX_SOURCES[provider] > 1)
  .map((provider) => PROVIDER_NAMES[provider])
  .join(" and ");

const HELP = `vidstep: move video through video platforms with the pipeline's state machine, on this machine.

Usage:
  npm start                                run the samples through every provider (simulated)
  npm run vidstep -- run [options]         the same, with options
  npm run vidstep -- validate <job.json>   check a job spec and print it with its defaults
  npm run vidstep -- check <provider>      check real credentials from the environment
                                           (${CREDENTIAL_CHECKS})
  npm run vidstep -- serve [--port <n>]    run the local stack until Ctrl-C: the jobs API, and S3 where a
                                           video put under inbox/<provider>/ starts a job
  npm run vidstep -- status <jobId> --api <url>
                                           how a job of a running \`serve\` stands (GET /jobs/{id})
  npm run vidstep -- import [manifest...]  a scheduled batch import, now: puts the manifests (JSON Lines or
                                           CSV, url sources) under imports/ and prints every row's fate
                                           (default: a sample manifest with good and bad rows)
  npm run vidstep -- --help

Options for run:
  --file <path>            a video to send; repeat for several (default: the two samples in
                           test/fixtures). ${MANY_SOURCES} take them all, others the first.
  --provider <name>        ${PROVIDERS.join(", ")} or all (default: all)
  --job <job.json>         a job spec file; its sources are replaced by the uploaded files
                           unless it names URLs
  --title <text>           the title providers show (default: the file name)
  --aspect-ratio <ratio>   video.dev crop: 16:9, 1:1, 4:3, 3:4, 4:5, 5:4, 9:16 (default 9:16)
  --clip <start-end>       video.dev clip in milliseconds, e.g. 500-3000 (default: whole video)
  --category <name>        VIDIO video category (default others)
  --reel-shape <shape>     VIDIO aspect ratio: landscape, portrait, square (default landscape)
  --output-length <s>      VIDIO reel length in seconds (default: 30, or the inputs' total)
  --faults                 inject 429s and 5xx into the simulators: the run must still succeed
  --fail                   make the simulators fail each job: the run ends in failure records
  --json                   print one JSON line per job instead of text
  -h, --help               this text

run starts the local stack, puts the files into its S3 bucket, submits each job with POST /jobs to the
local API and follows it with GET /jobs/{id}, printing each step as the job enters it.

Providers are simulated on 127.0.0.1 unless their keys are in the environment (base URLs:
<PROVIDER>_BASE_URL): ${KEY_VARIABLES}. No AWS account is needed: S3 is s3rver on 127.0.0.1.
Exit status: 0 when every job succeeded, 1 when one failed or partly failed, 2 on bad usage or input.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: "string", multiple: true },
      provider: { type: "string", default: "all" },
      job: { type: "string" },
      title: { type: "string" },
      "aspect-ratio": { type: "string" },
      clip: { type: "string" },
      category: { type: "string" },
      "reel-shape": { type: "string" },
      "output-length": { type: "string" },
      faults: { type: "boolean", default: false },
      fail: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      port: { type: "string" },
      api: { type: "string" },
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
    console.log(JSON.stringify(await validateJobFile(path), null, 2));
    return 0;
  }
  if (command === "check") {
    const [provider] = selectProviders(positionals[1] ?? "");
    console.log(await checkCredentials(provider as Provider, process.env));
    return 0;
  }
  if (command === "serve") return serve(values.port);
  if (command === "status") {
    const jobId = positionals[1];
    if (!jobId || !values.api)
      throw new UsageError("status needs a job id and --api <url> (printed by serve)");
    console.log(JSON.stringify(redactRecord(await new JobsApiClient(values.api).status(jobId)), null, 2));
    return 0;
  }
  if (command === "import") {
    const stack = await LocalStack.start();
    try {
      for (const sample of SAMPLES) {
        const key = `inbox/${basename(sample)}`;
        await stack.s3.send(
          new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: await readFile(sample) }),
        );
      }
      return await importManifests(stack, positionals.slice(1), (line) => console.log(line));
    } finally {
      await stack.stop();
    }
  }
  if (command !== "run") throw new UsageError(`unknown command "${command}"`);

  const providers = selectProviders(values.provider);
  const files = await Promise.all(
    (values.file ?? SAMPLES).map(async (file) => ({ path: resolve(file), size: await fileSize(file) })),
  );
  const baseSpec = values.job ? await readJobSpecFile(values.job) : {};
  const log = values.json ? () => undefined : (line: string) => console.log(line);

  const stack = await LocalStack.start();
  const api = new JobsApiClient(stack.api.url);
  try {
    for (const endpoint of stack.endpoints.filter((e) => providers.includes(e.provider))) {
      log(
        `${PROVIDER_NAMES[endpoint.provider]}: ${endpoint.simulated ? "simulator" : "REAL provider"} at ${endpoint.baseUrl}`,
      );
    }
    const uploaded: JobSource[] = [];
    for (const file of files) {
      const key = `inbox/${basename(file.path)}`;
      await stack.s3.send(
        new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: await readFile(file.path) }),
      );
      uploaded.push({ bucket: stack.bucket, key });
      log(`put ${basename(file.path)} (${formatBytes(file.size)}) into s3://${stack.bucket}/${key}`);
    }

    let unhappy = 0;
    for (const provider of providers) {
      const job = buildJob(provider, baseSpec, uploaded, {
        title: values.title,
        aspectRatio: values["aspect-ratio"],
        clip: values.clip,
        category: values.category,
        reelShape: values["reel-shape"],
        outputLength: values["output-length"],
      });
      armSimulators(stack.simulators, provider, values);
      const { jobId } = await api.submit(job);
      log(`\n${PROVIDER_NAMES[provider]} · job ${jobId} · ${job.sources.length} source(s)`);
      const started = Date.now();
      const printStep = progressPrinter(started);
      const view = await api.waitForEnd(jobId, (state) => {
        if (!values.json) printStep({ kind: "entered", state });
      });
      const outcome = outcomeOf(view);
      if (outcome.status === "failed" || outcome.result.status !== "succeeded") unhappy += 1;
      if (values.json) console.log(JSON.stringify({ provider, jobId: job.jobId, ...outcome }));
      else printOutcome(outcome, Date.now() - started);
    }
    log(
      unhappy === 0
        ? "\nall jobs succeeded"
        : `\n${unhappy} of ${providers.length} jobs did not fully succeed`,
    );
    return unhappy === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

/** Runs the local stack until Ctrl-C, saying how to reach its API and its bucket. */
async function serve(port: string | undefined): Promise<number> {
  const apiPort = port === undefined ? 0 : Number(port);
  if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535) {
    throw new UsageError(`--port must be a port number, got "${port}"`);
  }
  const stack = await LocalStack.start({ apiPort });
  const url = stack.api.url;
  console.log(`vidstep is serving on this machine (providers: ${stack.endpoints
    .map((e) => `${PROVIDER_NAMES[e.provider]} ${e.simulated ? "simulated" : "REAL"}`)
    .join(", ")})

Jobs API: ${url}   (no SigV4 locally; on AWS the same routes need IAM auth)
  curl -s -X POST ${url}/jobs -H 'content-type: application/json' -H 'Idempotency-Key: demo-1' \\
    -d '{"provider":"apivideo","source":{"url":"https://example.com/video.mp4"}}'
  curl -s ${url}/jobs/<jobId>
  curl -s -X POST ${url}/jobs/<jobId>/redrive
  curl -s -X POST ${url}/jobs/<jobId>/redrive -d '{"acceptPossibleDuplicate":true}'   # after a 409 that names a create to check
  npm run vidstep -- status <jobId> --api ${url}

S3 (s3rver): endpoint ${stack.s3Server.endpoint}, bucket ${stack.bucket}, access key S3RVER, secret S3RVER,
path-style addressing. A video put under inbox/<provider>/ (or next to a <name>.job.json) starts a job,
named after the upload; a rejected job spec leaves <name>.errors.json next to it. For example:
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${stack.s3Server.endpoint} \\
    s3 cp clip.mp4 s3://${stack.bucket}/inbox/${PROVIDERS[0]}/clip.mp4

Ctrl-C stops everything.`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  await stack.stop();
  return 0;
}

function selectProviders(choice: string | undefined): Provider[] {
  if (choice === undefined || choice === "all") return [...PROVIDERS];
  if (isProvider(choice)) return [choice];
  throw new UsageError(`provider must be one of ${PROVIDERS.join(", ")}; got "${choice}"`);
}

async function fileSize(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`--file: no such file "${path}"`);
  return info.size;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (usage || error instanceof InvalidInputError) {
      console.error(`vidstep: ${redactString((error as Error).message)}${usage ? " (try --help)" : ""}`);
      process.exitCode = 2;
    } else {
      // An unexpected error can quote a URL it was given: printed whole, but through the redaction step.
      console.error(redactString(inspect(error)));
      process.exitCode = 1;
    }
  },
);
