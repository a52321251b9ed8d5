import { readFile } from "node:fs/promises";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import { createUploadHandler } from "../../functions/handlers/uploads/startJobFromUpload";
import type { Provider } from "../../functions/pipeline/jobSpec";
import type { LocalRunOptions } from "../../local/LocalPipeline";
import { LocalStack } from "../../local/LocalStack";
import type { Expected, FaultScenario, ScenarioContext } from "./faultScenarios";
import { URL_PASSWORD } from "./faultScenarios";
import { type CreatedResources, createdResources } from "./providerResources";
import type { Output } from "./secretScan";

/** How one job of a scenario ended, as the table counts it. */
export type JobOutcome = "succeeded" | "failed" | "rejected" | "lost" | "stuck";

export interface JobObservation {
  scenario: string;
  provider: Provider;
  /** The source file that is this job's alone; resources and duplicate jobs are counted by it. */
  file: string;
  jobId: string | undefined;
  transient: boolean;
  expected: Expected;
  outcome: JobOutcome;
  /** For a failure: the record's error, step and message; for a rejection: the 400's error and message. */
  error?: string;
  step?: string;
  message?: string;
  /** HTTP statuses of the redrive calls made for this job. */
  redrives: number[];
}

export interface ScenarioRun {
  scenario: FaultScenario;
  jobs: JobObservation[];
  /** Created resources per source file and kind (more than one is a duplicate). */
  resources: CreatedResources[];
  /** Jobs started beyond one per source file (a duplicate event or call that started a second job). */
  extraJobs: { file: string; jobIds: string[] }[];
  /** Every record the scenario left: results, job statuses, events, API answers. */
  outputs: Output[];
}

/** Waits shortened to milliseconds; a 429's Retry-After is honoured as the provider sent it. */
const RUN_OPTIONS: LocalRunOptions = { pollWaitMs: 5, retryWaitMs: 0, callbackHeartbeatMs: 300 };
/** A job not ended by then is stuck: the slowest scenario waits 31 s on one request per job, twice at most. */
const DEADLINE_MS = 150_000;
const FIXTURE = new URL("../fixtures/sample-4s-landscape.mp4", import.meta.url);

interface PlannedJob {
  provider: Provider;
  file: string;
  key: string;
}

/** Runs one scenario on a local stack of its own and reports on each of its jobs. */
export async function runFaultScenario(scenario: FaultScenario): Promise<ScenarioRun> {
  const stack = await LocalStack.start({
    processingMs: scenario.processingMs ?? 30,
    env: {},
    webhooks: scenario.webhooks ?? false,
    runOptions: RUN_OPTIONS,
  });
  const outputs: Output[] = [];
  try {
    const context: ScenarioContext = { stack, jobsPerProvider: scenario.jobsPerProvider };
    const planned = await placeSources(stack, scenario);
    scenario.arm?.(context);
    const stopDuring = scenario.during?.(context);
    const submitted = await Promise.all(planned.map((job) => submit(stack, scenario, job, outputs)));
    let finished = await idleWithin(stack, DEADLINE_MS);
    const redrives = new Map<string, number[]>();
    if (finished && scenario.redrive) {
      for (const simulator of Object.values(stack.simulators)) simulator?.server.faults.clear();
      scenario.redrive(context);
      for (const { jobId } of submitted) {
        if (jobId === undefined) continue;
        const view = await callApi(stack, "GET", `/jobs/${jobId}`);
        if (view.body.status !== "failed") continue;
        const answer = await callApi(stack, "POST", `/jobs/${jobId}/redrive`, {});
        outputs.push({ where: `${scenario.name}: POST /jobs/${jobId}/redrive`, text: answer.text });
        redrives.set(jobId, [answer.status]);
      }
      finished = await idleWithin(stack, DEADLINE_MS);
    }
    stopDuring?.();
    const jobs: JobObservation[] = [];
    for (const [index, job] of planned.entries()) {
      const { jobId, rejection } = submitted[index] ?? {};
      jobs.push(
        await observe(
          stack,
          scenario,
          job,
          jobId,
          rejection,
          finished,
          redrives.get(jobId ?? "") ?? [],
          outputs,
        ),
      );
    }
    outputs.push(...(await resultFiles(stack, scenario.name)));
    outputs.push({ where: `${scenario.name}: events`, text: JSON.stringify(stack.events.published) });
    return {
      scenario,
      jobs,
      resources: createdResources(stack.simulators),
      extraJobs: await extraJobs(stack, planned),
      outputs,
    };
  } finally {
    await stack.stop();
  }
}

/** Puts one copy of the fixture per job, under a file name no other job uses. */
async function placeSources(stack: LocalStack, scenario: FaultScenario): Promise<PlannedJob[]> {
  const body = await readFile(FIXTURE);
  const planned: PlannedJob[] = [];
  for (const provider of scenario.providers) {
    for (let n = 1; n <= scenario.jobsPerProvider; n += 1) {
      const file = `${scenario.name}-${provider}-${n}.mp4`;
      const key = scenario.start === "upload" ? `inbox/${provider}/${file}` : `faults/${file}`;
      planned.push({ provider, file, key });
    }
  }
  // Uploads start their jobs: those are put when the jobs start, the others now.
  if (scenario.start !== "upload") {
    await Promise.all(
      planned.map(({ key }) =>
        stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body })),
      ),
    );
  }
  return planned;
}

/** Starts one job the scenario's way; answers its job id, or why it was refused. */
async function submit(
  stack: LocalStack,
  scenario: FaultScenario,
  job: PlannedJob,
  outputs: Output[],
): Promise<{ jobId?: string; rejection?: Record<string, unknown> }> {
  const where = `${scenario.name}: POST /jobs ${job.file}`;
  if (scenario.start === "upload") return { jobId: await uploadTwiceRedelivered(stack, job) };
  if (scenario.start === "duplicateApi") {
    const spec = { provider: job.provider, source: { bucket: stack.bucket, key: job.key } };
    const answers = await Promise.all(
      [1, 2, 3].map(() => callApi(stack, "POST", "/jobs", spec, { "Idempotency-Key": job.file })),
    );
    for (const answer of answers) outputs.push({ where, text: answer.text });
    return { jobId: answers[0]?.body.jobId as string | undefined };
  }
  const source =
    scenario.start === "urlWithPassword"
      ? { url: urlWithPassword(stack, job.key) }
      : { bucket: stack.bucket, key: job.key };
  const jobId = `${scenario.name}-${job.provider}-${job.file.slice(job.file.lastIndexOf("-") + 1, -4)}`;
  const answer = await callApi(stack, "POST", "/jobs", { jobId, provider: job.provider, source });
  outputs.push({ where, text: answer.text });
  if (answer.status >= 400) return { rejection: { status: answer.status, ...answer.body } };
  return { jobId: answer.body.jobId as string };
}

/** The job's object on the local S3, reached through a URL that carries a user and password. */
function urlWithPassword(stack: LocalStack, key: string): string {
  const endpoint = new URL(stack.s3Server.endpoint);
  return `http://faults:${URL_PASSWORD}@${endpoint.host}/${stack.bucket}/${key}`;
}

/**
 * Uploads the job's video into its provider's inbox folder: the stack's trigger gets the S3 event, and
 * the same event is handed to the trigger's handler twice more, as S3 may deliver a notification.
 */
async function uploadTwiceRedelivered(stack: LocalStack, job: PlannedJob): Promise<string | undefined> {
  const event = new Promise<S3Event>((resolve) => {
    stack.s3Server.onObjectEvent((seen) => {
      if (seen.Records.some((record) => decodeURIComponent(record.s3.object.key).endsWith(job.file)))
        resolve(seen);
    });
  });
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: job.key, Body: await readFile(FIXTURE) }),
  );
  const handler = createUploadHandler(async () => ({ runs: stack.runs, s3: stack.s3, bucket: stack.bucket }));
  const delivered = await event;
  const again = await Promise.all(
    [1, 2].map(
      () =>
        (handler as unknown as (event: S3Event, context: unknown) => Promise<{ jobId?: string }[]>)(
          delivered,
          { getRemainingTimeInMillis: () => 30_000, functionName: "faults", awsRequestId: "faults" },
        ) as Promise<{ jobId?: string }[]>,
    ),
  );
  return again[0]?.[0]?.jobId;
}

/** Resolves true once every job has ended, false when the deadline came first. */
async function idleWithin(stack: LocalStack, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([stack.idle().then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function observe(
  stack: LocalStack,
  scenario: FaultScenario,
  job: PlannedJob,
  jobId: string | undefined,
  rejection: Record<string, unknown> | undefined,
  finished: boolean,
  redrives: number[],
  outputs: Output[],
): Promise<JobObservation> {
  const base = {
    scenario: scenario.name,
    provider: job.provider,
    file: job.file,
    jobId,
    transient: scenario.transient,
    expected: scenario.expected(job.provider),
    redrives,
  };
  if (rejection) {
    return {
      ...base,
      outcome: "rejected",
      // The API answers bad input (an InvalidInputError) with a 400 listing the problems.
      error: rejection.status === 400 ? "InvalidInputError" : `HTTP ${String(rejection.status)}`,
      message: String(rejection.message ?? JSON.stringify(rejection.problems ?? "")),
    };
  }
  if (jobId === undefined) return { ...base, outcome: "lost", message: "no job id came back" };
  const view = await callApi(stack, "GET", `/jobs/${jobId}`);
  outputs.push({ where: `${scenario.name}: GET /jobs/${jobId}`, text: view.text });
  const status = view.body.status;
  if (status === "running")
    return { ...base, outcome: finished ? "lost" : "stuck", step: String(view.body.currentStep ?? "") };
  const result = await readResult(stack, jobId);
  if (result === undefined || (status !== "succeeded" && status !== "failed")) {
    return {
      ...base,
      outcome: "lost",
      message: `status ${String(status)}, result file ${result ? "present" : "missing"}`,
    };
  }
  if (status === "succeeded") return { ...base, outcome: "succeeded" };
  const failure = (view.body.failure ?? {}) as Record<string, unknown>;
  return {
    ...base,
    outcome: "failed",
    error: String(failure.error ?? "?"),
    step: String(failure.step ?? "?"),
    message: String(failure.message ?? ""),
  };
}

async function readResult(stack: LocalStack, jobId: string): Promise<string | undefined> {
  try {
    const object = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.bucket, Key: `results/${jobId}.json` }),
    );
    return await object.Body?.transformToString();
  } catch {
    return undefined;
  }
}

/** Every file under `results/` of the local bucket. */
async function resultFiles(stack: LocalStack, scenario: string): Promise<Output[]> {
  const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: "results/" }));
  const outputs: Output[] = [];
  for (const object of listed.Contents ?? []) {
    const jobId = (object.Key ?? "").slice("results/".length, -".json".length);
    outputs.push({ where: `${scenario}: ${object.Key}`, text: (await readResult(stack, jobId)) ?? "" });
  }
  return outputs;
}

/** Source files that more than one job (execution of a first attempt) was started for. */
async function extraJobs(stack: LocalStack, planned: PlannedJob[]) {
  const jobsByFile = new Map<string, Set<string>>();
  for (const name of stack.runs.names()) {
    const execution = await stack.runs.describe(name);
    const key = execution?.job.sources[0]?.key ?? execution?.job.sources[0]?.url ?? "";
    const job = planned.find((candidate) => key.endsWith(candidate.file));
    if (!job || !execution) continue;
    const ids = jobsByFile.get(job.file) ?? new Set<string>();
    ids.add(execution.job.jobId);
    jobsByFile.set(job.file, ids);
  }
  return [...jobsByFile.entries()]
    .filter(([, ids]) => ids.size > 1)
    .map(([file, ids]) => ({ file, jobIds: [...ids] }));
}

/** One call to the stack's jobs API. */
async function callApi(
  stack: LocalStack,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { message: text };
  }
  return { status: response.status, text, body: parsed };
}
