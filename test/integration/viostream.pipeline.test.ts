import { describe, expect, it } from "vitest";
import { referenceIdFor } from "../../functions/providers/viostream/ingest";
import { useLocalStack } from "./localStackFixture";

const { context, s3, run } = useLocalStack();
const simulator = () => context.stack.simulators.viostream;

describe("Viostream through the pipeline", () => {
  it("ingests from a presigned URL, waits until Online, finds the media and publishes its embed code", async () => {
    // Act
    const { outcome, entered } = await run({
      jobId: "vio-ok-1",
      provider: "viostream",
      source: s3("sample-4s-landscape.mp4"),
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: { provider: "viostream", referenceId: referenceIdFor("vio-ok-1"), durationSeconds: 4 },
    });
    const result = outcome.status === "succeeded" ? outcome.result : {};
    expect(result.embedUrl).toMatch(/^https:\/\/play\.viostream\.com\/iframe\/.+/);
    expect(result.iframe).toContain(result.embedUrl as string);
    expect(entered).toEqual(expect.arrayContaining(["Create", "Poll create", "Publish"]));
  });

  it("finds the media of a create whose answer was lost, and continues with it instead of ingesting twice", async () => {
    // Prepare: the first create reaches Viostream, which acts on it, but its answer is lost.
    simulator()?.server.faults.dropAnswer({ times: 1, route: "POST /media/new" });

    // Act
    const { outcome } = await run({
      jobId: "vio-lost-1",
      provider: "viostream",
      source: s3("sample-4s-landscape.mp4"),
    });
    await simulator()?.idle();

    // Assess: the job went on with the one media the lost create made.
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: { provider: "viostream", referenceId: referenceIdFor("vio-lost-1") },
    });
    const media =
      simulator()
        ?.media()
        .filter((m) => m.referenceId === referenceIdFor("vio-lost-1")) ?? [];
    expect(media).toHaveLength(1);
  });

  it("finds the media an earlier run made instead of ingesting again", async () => {
    // Prepare: a first run of the same job id has finished.
    const first = await run({
      jobId: "vio-rerun-1",
      provider: "viostream",
      source: s3("sample-4s-landscape.mp4"),
    });

    // Act
    const again = await run({
      jobId: "vio-rerun-1",
      provider: "viostream",
      source: s3("sample-4s-landscape.mp4"),
    });

    // Assess
    expect(first.outcome.status).toBe("succeeded");
    expect(again.outcome.status).toBe("succeeded");
    const media =
      simulator()
        ?.media()
        .filter((m) => m.referenceId === referenceIdFor("vio-rerun-1")) ?? [];
    expect(media).toHaveLength(1);
  });

  it("ends in a failure record with Viostream's reason when the ingest fails", async () => {
    simulator()?.failNextIngest("unsupported codec");
    const { outcome } = await run({ provider: "viostream", source: s3("sample-3s-portrait.MOV") });
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "viostream", step: "awaitCreate", error: "ProviderJobFailedError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(/unsupported codec/);
  });

  it("honours a 429 and still publishes", async () => {
    simulator()?.server.faults.rateLimit({ times: 1, retryAfterSeconds: 2 });
    const { outcome, entered } = await run({ provider: "viostream", source: s3("sample-4s-landscape.mp4") });
    expect(outcome.status).toBe("succeeded");
    expect(entered).toContain("Wait Retry-After");
  });
});
