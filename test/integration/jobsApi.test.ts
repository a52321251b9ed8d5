import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { uploadJobId } from "../../functions/uploads/startJobFromUpload";
import { useLocalStack } from "./localStackFixture";

const { context, s3 } = useLocalStack();

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${context.stack.api.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the jobs API on the local stack", () => {
  it("answers a bad job spec with 400 naming every bad field and value", async () => {
    // Act
    const response = await call("POST", "/jobs", {
      provider: "videodev",
      title: "",
      source: { bucket: context.stack.bucket, key: "inbox/sample-4s-landscape.mp4" },
      videodev: { crop: { aspectRatio: "7:3" }, colour: "red" },
    });
    const notJson = await call("POST", "/jobs", "{not json");

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "title", value: "" }),
        expect.objectContaining({ field: "videodev.crop.aspectRatio", value: "7:3" }),
        expect.objectContaining({ field: "videodev.colour", problem: "is not a known field" }),
      ]),
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.problems).toEqual([expect.objectContaining({ field: "body", value: "{not json" })]);
  });

  it("runs a job to its result and answers a repeated Idempotency-Key with the same job", async () => {
    // Prepare
    const spec = { provider: "apivideo", source: s3("sample-4s-landscape.mp4") };
    const before = context.stack.runs.names().length;

    // Act
    const first = await call("POST", "/jobs", spec, { "Idempotency-Key": "order-42" });
    const repeat = await call("POST", "/jobs", spec, { "Idempotency-Key": "order-42" });
    const otherSpec = await call(
      "POST",
      "/jobs",
      { ...spec, title: "another" },
      { "Idempotency-Key": "order-42" },
    );
    await context.stack.idle();
    const done = await call("GET", `/jobs/${first.body.jobId}`);

    // Assess
    expect(first.status).toBe(202);
    expect(repeat.status).toBe(200);
    expect(repeat.body.jobId).toBe(first.body.jobId);
    expect(otherSpec.status).toBe(409);
    expect(context.stack.runs.names().length - before).toBe(1);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ jobId: first.body.jobId, status: "succeeded", attempt: 1 });
    expect(done.body.result).toMatchObject({ status: "succeeded" });
  });

  it("shows a failed job's reason and succeeds when it is redriven", async () => {
    // Prepare
    context.stack.simulators.videodev?.failNextRender("the simulator failed this render once");
    const posted = await call("POST", "/jobs", {
      provider: "videodev",
      source: s3("sample-4s-landscape.mp4"),
    });
    await context.stack.idle();

    // Act
    const failed = await call("GET", `/jobs/${posted.body.jobId}`);
    const redrive = await call("POST", `/jobs/${posted.body.jobId}/redrive`);
    await context.stack.idle();
    const redriven = await call("GET", `/jobs/${posted.body.jobId}`);
    const again = await call("POST", `/jobs/${posted.body.jobId}/redrive`);

    // Assess
    expect(failed.body).toMatchObject({ status: "failed", attempt: 1 });
    expect(failed.body.failure).toMatchObject({
      provider: "videodev",
      step: expect.any(String),
      error: expect.any(String),
      message: expect.stringContaining("the simulator failed this render once"),
    });
    expect(redrive.status).toBe(202);
    expect(redrive.body).toMatchObject({ attempt: 2 });
    expect(redriven.body, JSON.stringify(redriven.body)).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(again.status).toBe(409);
  });

  it("answers 404 for an unknown job and 400 for an id that cannot be one", async () => {
    // Act
    const unknown = await call("GET", "/jobs/no-such-job");
    const invalid = await call("POST", "/jobs/bad.id/redrive");

    // Assess
    expect(unknown.status).toBe(404);
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([expect.objectContaining({ field: "id", value: "bad.id" })]);
  });

  it("starts a job from a video put into inbox/<provider>/, once for a repeated put of the same bytes", async () => {
    // Prepare
    const body = await readFile(new URL("../fixtures/sample-3s-portrait.MOV", import.meta.url));
    const key = "inbox/apivideo/holiday clip.MOV";

    // Act
    const put = await context.stack.s3.send(
      new PutObjectCommand({ Bucket: context.stack.bucket, Key: key, Body: body }),
    );
    await context.stack.s3.send(new PutObjectCommand({ Bucket: context.stack.bucket, Key: key, Body: body }));
    await context.stack.idle();
    const jobId = uploadJobId({ bucket: context.stack.bucket, key, eTag: put.ETag?.replace(/"/g, "") });
    const job = await call("GET", `/jobs/${jobId}`);

    // Assess
    expect(jobId).toMatch(/^holiday-clip-[0-9a-f]{24}$/);
    expect(job.body).toMatchObject({ jobId, status: "succeeded", attempt: 1 });
    expect(context.stack.runs.names().filter((name) => name === jobId)).toHaveLength(1);
  });
});
