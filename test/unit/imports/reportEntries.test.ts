import { describe, expect, it } from "vitest";
import { entriesOfOutcome, failureOf, outcomeOfResultRecord } from "../../../functions/imports/reportEntries";

describe("report entries", () => {
  it("gives each row of a Vidori job its own asset's fate", () => {
    // Act
    const entries = entriesOfOutcome({
      lines: [7, 9],
      jobId: "m-L7",
      status: "succeeded",
      result: {
        provider: "vidori",
        assets: [
          { index: 0, status: "accepted", assetId: "a1" },
          { index: 1, status: "failed", error: "Invalid URL format" },
        ],
      },
    });

    // Assess
    expect(entries).toEqual([
      {
        line: 7,
        status: "succeeded",
        jobId: "m-L7",
        result: { index: 0, status: "accepted", assetId: "a1" },
      },
      {
        line: 9,
        status: "failed",
        jobId: "m-L7",
        error: "ProviderRejectedError",
        reason: "Invalid URL format",
      },
    ]);
  });

  it("reads a failed child execution's error and the failure record's message out of States.TaskFailed", () => {
    // Prepare
    const cause = JSON.stringify({
      Status: "FAILED",
      Error: "SourceUnreadableError",
      Cause: JSON.stringify({ status: "failed", message: "not-a-video.mp4 is not an MP4" }),
    });

    // Act
    const failure = failureOf("States.TaskFailed", cause);

    // Assess
    expect(failure).toEqual({ error: "SourceUnreadableError", reason: "not-a-video.mp4 is not an MP4" });
    expect(failureOf("StepFunctions.ExecutionAlreadyExistsException", "Execution Already Exists")).toEqual({
      error: "StepFunctions.ExecutionAlreadyExistsException",
      reason: "Execution Already Exists",
    });
  });

  it("reads a child that failed outright from its whole execution record", () => {
    // Act
    const outcome = outcomeOfResultRecord({
      Status: "FAILED",
      Input: JSON.stringify({ lines: [3], job: { jobId: "m-L3" } }),
      Error: "States.Runtime",
      Cause: "boom",
    });

    // Assess
    expect(outcome).toEqual({
      lines: [3],
      jobId: "m-L3",
      status: "failed",
      error: "States.Runtime",
      cause: "boom",
    });
  });
});
