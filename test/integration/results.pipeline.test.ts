import { GetObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import { JobResultSchema } from "../../functions/results/jobResult";
import { useLocalStack } from "./localStackFixture";

const { context, s3, run } = useLocalStack();

async function storedResult(jobId: string) {
  const object = await context.stack.s3.send(
    new GetObjectCommand({ Bucket: context.stack.bucket, Key: `results/${jobId}.json` }),
  );
  return JobResultSchema.parse(JSON.parse(await (object.Body?.transformToString() ?? "")));
}

describe("results of finished jobs (local stack, real definition)", () => {
  it("writes results/<jobId>.json and publishes a success event", async () => {
    // Prepare
    const spec = { jobId: "results-ok", provider: "videodev", source: s3("sample-4s-landscape.mp4") };

    // Act
    const { outcome } = await run(spec);

    // Assess
    expect(outcome.status).toBe("succeeded");
    const stored = await storedResult("results-ok");
    expect(stored).toMatchObject({
      status: "succeeded",
      provider: "videodev",
      executionId: "local:results-ok",
    });
    expect(stored.result).toEqual(outcome.status === "succeeded" ? outcome.result : undefined);
    expect(context.stack.events.published.filter((e) => e.detail.jobId === "results-ok")).toEqual([
      expect.objectContaining({ "detail-type": "Job succeeded" }),
    ]);
  });

  it("records a failure with provider, step and reason, and a redrive resumes without redoing earlier stages", async () => {
    // Prepare
    const videodev = context.stack.simulators.videodev;
    videodev?.failNextRender("the smart-crop model timed out");
    const spec = { jobId: "results-redrive", provider: "videodev", source: s3("sample-4s-landscape.mp4") };
    const importsBefore = videodev?.server.count("POST /media/import") ?? 0;
    const { outcome: failed } = await run(spec);
    const stored = await storedResult("results-redrive");

    // Act
    const entered: string[] = [];
    const redriven = await context.stack.pipeline.run(
      { ...parseJobSpec(spec), ...(stored.resume ? { resume: stored.resume } : {}) },
      { pollWaitMs: 5, retryWaitMs: 0, onProgress: (p) => p.kind === "entered" && entered.push(p.state) },
    );

    // Assess
    expect(failed.status).toBe("failed");
    expect(stored.failure).toMatchObject({
      provider: "videodev",
      step: "awaitRender",
      error: "ProviderJobFailedError",
    });
    expect(stored.failure?.message).toContain("the smart-crop model timed out");
    expect(stored.resume?.stage).toBe("render");
    const failedEvent = context.stack.events.published.find((e) => e.detail.jobId === "results-redrive");
    expect(failedEvent).toMatchObject({
      "detail-type": "Job failed",
      detail: { provider: "videodev", step: "awaitRender", error: "ProviderJobFailedError" },
    });
    expect(redriven.status).toBe("succeeded");
    expect(entered).not.toContain("Upload");
    expect(entered).toContain("Render");
    expect(videodev?.server.count("POST /media/import")).toBe(importsBefore + 1);
    expect((await storedResult("results-redrive")).status).toBe("succeeded");
  });
});
