import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { StepFunctionsTaskCompletion } from "../../../functions/callbacks/StepFunctionsTaskCompletion";
import { TaskAlreadyClosedError } from "../../../functions/callbacks/TaskCompletion";
import { LocalTaskTokens } from "../../../local/LocalTaskTokens";

describe("StepFunctionsTaskCompletion", () => {
  it("sends the output as JSON and reports a closed task as TaskAlreadyClosedError", async () => {
    // Prepare
    const sfn = mockClient(SFNClient);
    sfn
      .on(SendTaskSuccessCommand, { taskToken: "open" })
      .resolves({})
      .on(SendTaskSuccessCommand, { taskToken: "gone" })
      .rejects(new TaskTimedOut({ message: "closed", $metadata: {} }));
    const completion = new StepFunctionsTaskCompletion(new SFNClient({}));

    // Act
    await completion.succeed("open", { ready: true });
    const closed = completion.succeed("gone", { ready: true });

    // Assess
    await expect(closed).rejects.toBeInstanceOf(TaskAlreadyClosedError);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: "open",
      output: '{"ready":true}',
    });
    sfn.restore();
  });
});

describe("LocalTaskTokens", () => {
  it("ends the wait with the callback's output, and refuses a second completion", async () => {
    // Prepare
    const tokens = new LocalTaskTokens();
    const { taskToken, settled } = tokens.start({ heartbeatMs: 60_000 });

    // Act
    await tokens.succeed(taskToken, { ready: true });
    const second = tokens.succeed(taskToken, { ready: true });

    // Assess
    await expect(settled).resolves.toEqual({ ready: true });
    await expect(second).rejects.toBeInstanceOf(TaskAlreadyClosedError);
    expect(tokens.waiting).toBe(0);
  });

  it("fails the wait with States.HeartbeatTimeout when no heartbeat or callback comes", async () => {
    // Prepare
    const tokens = new LocalTaskTokens();

    // Act
    const { settled } = tokens.start({ heartbeatMs: 1 });

    // Assess
    await expect(settled).rejects.toMatchObject({ name: "States.HeartbeatTimeout" });
  });

  it("fails the wait with the error and cause given", async () => {
    // Prepare
    const tokens = new LocalTaskTokens();
    const { taskToken, settled } = tokens.start();

    // Act
    await tokens.fail(taskToken, "ProviderJobFailedError", '{"errorType":"ProviderJobFailedError"}');

    // Assess
    await expect(settled).rejects.toMatchObject({
      name: "ProviderJobFailedError",
      message: '{"errorType":"ProviderJobFailedError"}',
    });
  });
});
