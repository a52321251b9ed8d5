import { mkdir, writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIMULATOR_API_KEY as VIDEODEV_KEY } from "../../functions/providers/videodev/VideoDevSimulator";
import { DEFAULT_SIMULATOR_API_KEY as VIDIO_KEY } from "../../functions/providers/vidio/VidioSimulator";
import { DEFAULT_SIMULATOR_API_KEY as VIDORI_KEY } from "../../functions/providers/vidori/VidoriSimulator";
import { DEFAULT_SIMULATOR_API_KEY as VIOSTREAM_KEY } from "../../functions/providers/viostream/ViostreamSimulator";
import { captureOutput } from "./capturedOutput";
import { SCENARIOS, URL_PASSWORD } from "./faultScenarios";
import { type FaultFigures, faultFigures, faultTable } from "./faultTable";
import { runFaultScenario, type ScenarioRun } from "./runFaultScenario";
import { findSecrets, masked, type Output } from "./secretScan";

/**
 * The fault suite: hundreds of jobs through the real state machine against the simulators, under 429
 * storms, 5xx, slow and dropped connections, bad bodies, expired tokens, provider jobs that fail or never
 * end, redrives and duplicated deliveries. It prints one table and holds the product to its promise:
 * nothing lost or stuck, nothing created twice, no secret in any record, and what a retry can fix, fixed.
 */

/** Scenarios running at once, each on its own stack; most of a job's time is waiting, not CPU. */
const SCENARIOS_AT_ONCE = 6;
const RESULTS_FILE = new URL("./results/latest.md", import.meta.url);
/** The simulators' keys (api.video's is not exported; it is the simulator's default). */
const TEST_KEYS: Record<string, string> = {
  "api.video key": "sim-apivideo-key",
  "video.dev key": VIDEODEV_KEY,
  "VIDIO key": VIDIO_KEY,
  "Vidori key": VIDORI_KEY,
  "Viostream key": VIOSTREAM_KEY,
  "URL password": URL_PASSWORD,
};

let figures: FaultFigures;

beforeAll(async () => {
  // Prepare
  const captured = captureOutput();
  let runs: ScenarioRun[];
  try {
    // Act
    runs = await inPool(chosenScenarios(), SCENARIOS_AT_ONCE, runFaultScenario);
  } finally {
    captured.restore();
  }
  const outputs: Output[] = [
    ...runs.flatMap((run) => run.outputs),
    { where: "logs: stdout and stderr", text: captured.text() },
  ];
  figures = faultFigures(runs, findSecrets(outputs, TEST_KEYS));
  const table = faultTable(runs, figures);
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(RESULTS_FILE, table);
  console.log(table);
});

describe("the fault suite", () => {
  it("drives at least 200 jobs of all five providers through at least 20 fault scenarios", () => {
    // Assess
    expect(figures.jobs).toBeGreaterThanOrEqual(200);
    expect(figures.scenarios).toBeGreaterThanOrEqual(20);
    expect(figures.providers).toBe(5);
  });

  it("loses no job: every started job has a terminal status and a result record", () => {
    expect(figures.lost.map(describeJob)).toEqual([]);
  });

  it("leaves no job running past its deadline", () => {
    expect(figures.stuck.map(describeJob)).toEqual([]);
  });

  it("creates no provider resource twice (counted from the simulators' own state)", () => {
    expect(figures.duplicated).toEqual([]);
  });

  it("leaks no secret into results, job statuses, events, API answers or logs", () => {
    expect([...new Set(figures.leaked.map((finding) => `${finding.kind} in ${finding.where}`))]).toEqual([]);
  });

  it("gets every job that met only transient faults on a provider with lookups to succeed", () => {
    expect(figures.transientNotSucceeded.map(describeJob)).toEqual([]);
  });

  it("ends every job as its scenario declares", () => {
    expect(figures.unexpected.map(describeJob)).toEqual([]);
  });
});

/** Every scenario, or those named in `FAULTS_ONLY` (comma-separated), to work on one; the size checks then fail. */
function chosenScenarios() {
  const only = process.env.FAULTS_ONLY?.split(",").filter(Boolean);
  return only ? SCENARIOS.filter((scenario) => only.includes(scenario.name)) : SCENARIOS;
}

function describeJob(job: FaultFigures["lost"][number]): string {
  const expected =
    job.expected.status === "succeeded" ? "succeeded" : `${job.expected.status} ${job.expected.error}`;
  const got = job.error
    ? `${job.outcome} ${job.error} at ${job.step ?? "?"}: ${job.message ?? ""}`
    : job.outcome;
  return masked(`${job.scenario} ${job.provider}: expected ${expected}, got ${got}`, TEST_KEYS).slice(0, 300);
}

/** Runs `work` over `items`, at most `size` at a time, keeping the items' order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
