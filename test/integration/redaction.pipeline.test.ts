import { GetObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { JobsApiClient } from "../../cli/JobsApiClient";
import { capturedLogs } from "../unit/capturedLogs";
import { useLocalStack } from "./localStackFixture";

const { context, s3 } = useLocalStack();

/** What a provider might say when it cannot fetch a source: the presigned URL and a partner's password URL. */
const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQD%2Bpipeline";
const ECHOED_REASON =
  "could not fetch https://bucket.s3.amazonaws.com/inbox/a.mp4?X-Amz-Credential=ASIAPIPELINEKEY%2F20261123" +
  `&X-Amz-Security-Token=${SESSION_TOKEN}&X-Amz-Signature=0123456789abcdef0123456789abcdef` +
  " (mirror: https://alice:pipeline-password@partner.example.com/v.mp4)";

/** Credentials in any spelling the pipeline could emit: none may be left in any output. */
const LEAKS = [
  /X-Amz-(?:Signature|Credential|Security-Token)(?:=|%3D)(?!\[redacted\])/i,
  /[?&]secret=(?!\[redacted\])/i,
  /:\/\/[^\s/@"]+:[^\s/@"]+@/,
  /ASIAPIPELINEKEY|pipeline-password|IQoJb3JpZ2luX2VjEJr/,
];

function expectClean(where: string, text: string) {
  for (const leak of LEAKS) expect(text, `${where} matches ${leak}`).not.toMatch(leak);
  // The simulator's key is a test key, but the same code path would carry a real one.
  expect(text, where).not.toContain(context.stack.simulators.videodev?.apiKey);
}

describe("no credential in any output (local stack, real definition)", () => {
  it("a provider's failure quoting a presigned URL and a password URL leaves no credential anywhere", async () => {
    // Prepare: video.dev gets a presigned GET and a callback URL with its secret, then fails the import.
    context.stack.simulators.videodev?.failNextImport(ECHOED_REASON);
    const api = new JobsApiClient(context.stack.api.url);
    const spec = { jobId: "redaction-echo", provider: "videodev", source: s3("sample-4s-landscape.mp4") };

    // Act
    const { value: view, lines } = await capturedLogs(async () => {
      await api.submit(spec);
      return api.waitForEnd("redaction-echo", () => undefined);
    });

    // Assess
    expect(view.status).toBe("failed");
    expect(view.failure?.message).toContain("X-Amz-Security-Token=[redacted]");
    const stored = await context.stack.s3.send(
      new GetObjectCommand({ Bucket: context.stack.bucket, Key: "results/redaction-echo.json" }),
    );
    const events = context.stack.events.published.filter((event) => event.detail.jobId === "redaction-echo");
    expect(events).toHaveLength(1);
    expectClean("GET /jobs/{id}", JSON.stringify(view));
    expectClean("the result file", (await stored.Body?.transformToString()) ?? "");
    expectClean("the event", JSON.stringify(events));
    expectClean("the log", lines.join(""));
  });

  it("a 5 MiB body that is not JSON gets a small 400 over HTTP", async () => {
    // Prepare
    const body = "x".repeat(5 * 1024 * 1024);

    // Act
    const response = await fetch(`${context.stack.api.url}/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });

    // Assess
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    expect(text).toContain(`(${body.length} characters)`);
  });
});
