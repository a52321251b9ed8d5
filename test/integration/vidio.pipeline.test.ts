import { describe, expect, it } from "vitest";
import { useLocalStack } from "./localStackFixture";

const { context, s3, run } = useLocalStack();
const simulator = () => context.stack.simulators.vidio;

describe("VIDIO through the pipeline", () => {
  it("uploads every input in order, makes the reel, renders it and publishes the output URL", async () => {
    // Act
    const { outcome, entered } = await run({
      provider: "vidio",
      sources: [s3("sample-4s-landscape.mp4"), s3("sample-6s-moov-at-end.mp4"), s3("sample-3s-portrait.MOV")],
      vidio: { videoCategory: "travel", aspectRatio: "portrait", outputLengthSeconds: 10 },
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: {
        provider: "vidio",
        inputs: 3,
        inputSeconds: 13,
        outputLengthSeconds: 10,
        videoCategory: "travel",
      },
    });
    const result = outcome.status === "succeeded" ? outcome.result : {};
    expect(result.outputUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(entered).toEqual(
      expect.arrayContaining(["Upload", "Create", "Poll create", "Render", "Poll render", "Publish"]),
    );
    // The reel lists the uploads in the order of the job's sources.
    const reel = simulator()?.job(String(result.vidioJobId));
    const names = (reel?.input_keys ?? []).map((key) => simulator()?.upload(key)?.name);
    expect(names).toEqual(["sample-4s-landscape.mp4", "sample-6s-moov-at-end.mp4", "sample-3s-portrait.MOV"]);
  });

  it("defaults the reel length to the inputs' total when it is under 30 s", async () => {
    const { outcome } = await run({
      provider: "vidio",
      sources: [s3("sample-4s-landscape.mp4"), s3("sample-3s-portrait.MOV")],
    });
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: { outputLengthSeconds: 7, inputSeconds: 7 },
    });
  });

  it("refuses a reel longer than its inputs before uploading anything, naming the field", async () => {
    // Prepare
    const before = simulator()?.server.log.length ?? 0;

    // Act
    const { outcome } = await run({
      provider: "vidio",
      sources: [s3("sample-4s-landscape.mp4")],
      vidio: { outputLengthSeconds: 60 },
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "vidio", step: "upload", error: "InvalidInputError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(
      /vidio\.outputLengthSeconds.*4 s.*\(got 60\)/,
    );
    expect(simulator()?.server.log.length).toBe(before);
  });

  it("names every unreadable input", async () => {
    const { outcome } = await run({
      provider: "vidio",
      sources: [s3("sample-4s-landscape.mp4"), s3("truncated.mp4"), s3("not-a-video.mp4")],
    });
    expect(outcome).toMatchObject({
      status: "failed",
      record: { step: "upload", error: "InvalidInputError" },
    });
    const message = outcome.status === "failed" ? String(outcome.record.message) : "";
    expect(message).toMatch(/sources\.1: cannot be read as a video: the file is cut short/);
    expect(message).toMatch(/sources\.2: cannot be read as a video/);
  });

  it("retries a 503 on the reel and still ends in results", async () => {
    // Prepare
    const unavailableBefore = answered503();
    simulator()?.server.faults.unavailable({ times: 2 });

    // Act
    const { outcome, retried } = await run({ provider: "vidio", sources: [s3("sample-4s-landscape.mp4")] });

    // Assess: both 503s the fault switch served were retried; counted from the simulator, not from timing.
    expect(outcome.status).toBe("succeeded");
    expect(answered503() - unavailableBefore).toBe(2);
    expect(retried.length).toBeGreaterThanOrEqual(2);
  });

  it("ends in a failure record with VIDIO's reason when the render fails", async () => {
    simulator()?.failNextRender("no highlights found");
    const { outcome } = await run({ provider: "vidio", sources: [s3("sample-6s-moov-at-end.mp4")] });
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "vidio", step: "awaitRender", error: "ProviderJobFailedError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(/no highlights found/);
  });
});

/** How many requests the VIDIO simulator answered 503 so far. */
function answered503(): number {
  return simulator()?.server.log.filter((entry) => entry.status === 503).length ?? 0;
}
