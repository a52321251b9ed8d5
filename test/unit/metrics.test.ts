import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// Metrics are off in the test environment; this file turns them on before the module reads the setting.
process.env.POWERTOOLS_METRICS_DISABLED = "false";
let metricsModule: typeof import("../../functions/handlers/core/metrics");

/** The EMF documents written to stdout while `act` runs. */
async function emitted(act: () => Promise<unknown> | unknown) {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((line) => line.split("\n"))
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("metrics", () => {
  beforeAll(async () => {
    metricsModule = await import("../../functions/handlers/core/metrics");
  });
  afterEach(() => vi.restoreAllMocks());

  it("counts a provider's jobs with the provider as dimension", async () => {
    // Act
    const documents = await emitted(() =>
      metricsModule.countFor("vidio", metricsModule.METRIC_NAMES.jobsFailed),
    );

    // Assess
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ provider: "vidio", JobsFailed: 1 });
    expect(documents[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "vidstep",
      Dimensions: [expect.arrayContaining(["provider"])],
      Metrics: [{ Name: "JobsFailed", Unit: "Count" }],
    });
  });

  it("records each provider call's latency, also when the call fails", async () => {
    // Prepare
    const answering = metricsModule.measuredFetch("vidori", async () => new Response("{}", { status: 503 }));
    const failing = metricsModule.measuredFetch("vidori", async () => {
      throw new TypeError("fetch failed");
    });

    // Act
    const documents = await emitted(async () => {
      await answering("https://vidori.example/api", {});
      await failing("https://vidori.example/api", {}).catch(() => undefined);
    });

    // Assess
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expect(document.provider).toBe("vidori");
      expect(document.ProviderLatency).toBeGreaterThanOrEqual(0);
      expect(document._aws.CloudWatchMetrics[0].Metrics).toEqual([
        { Name: "ProviderLatency", Unit: "Milliseconds" },
      ]);
    }
  });
});
