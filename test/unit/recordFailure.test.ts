import { describe, expect, it } from "vitest";
import { recordFailure } from "../../functions/steps/recordFailure";

const job = { jobId: "job-7", provider: "videodev" as const };

/** The Cause Step Functions records for an error thrown by one of our steps. */
function lambdaCause(detail: Record<string, unknown>): string {
  return JSON.stringify({ errorType: detail.error, errorMessage: JSON.stringify(detail), trace: [] });
}

describe("recordFailure", () => {
  it("names provider, step, operation, error, request id and the provider's message", () => {
    // Prepare
    const caught = {
      render: {
        Error: "ProviderRejectedError",
        Cause: lambdaCause({
          error: "ProviderRejectedError",
          message: "videodev renderClip: rejected (HTTP 400: crop.aspect_ratio is invalid)",
          stage: "render",
          provider: "videodev",
          operation: "renderClip",
          status: 400,
          requestId: "req-42",
          field: "crop.aspect_ratio",
        }),
      },
    };

    // Act
    const record = recordFailure(job, caught);

    // Assess
    expect(record).toEqual({
      status: "failed",
      jobId: "job-7",
      provider: "videodev",
      step: "render",
      error: "ProviderRejectedError",
      message: "videodev renderClip: rejected (HTTP 400: crop.aspect_ratio is invalid)",
      operation: "renderClip",
      requestId: "req-42",
      field: "crop.aspect_ratio",
      httpStatus: 400,
    });
  });

  it("reads errors raised by Step Functions itself, which carry plain text", () => {
    const record = recordFailure(job, {
      awaitRender: { Error: "PollLimitReachedError", Cause: "The provider was polled 240 times." },
    });
    expect(record).toMatchObject({
      step: "awaitRender",
      error: "PollLimitReachedError",
      message: "The provider was polled 240 times.",
    });
  });

  it("reads a Lambda error whose message is not ours", () => {
    const record = recordFailure(job, {
      upload: {
        Error: "Runtime.ExitError",
        Cause: JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: "exited" }),
      },
    });
    expect(record).toMatchObject({ step: "upload", error: "Runtime.ExitError", message: "exited" });
  });

  it("names the stage that ran out of rate-limit budget", () => {
    const record = recordFailure(job, {
      rateLimited: {
        Error: "RateLimitedError",
        Cause: lambdaCause({
          error: "RateLimitedError",
          message: "slow down",
          stage: "create",
          retryAfterSeconds: 5,
        }),
      },
    });
    expect(record).toMatchObject({ step: "create", error: "RateLimitedError", message: "slow down" });
  });
});
