import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { TaskAlreadyClosedError, type TaskCompletion } from "./TaskCompletion";

/** What Step Functions answers for a token whose task is over: the caller treats them all as "already done". */
const CLOSED_TASK_ERRORS = new Set(["TaskTimedOut", "InvalidToken", "TaskDoesNotExist"]);

/** Step Functions' limits on SendTaskFailure; a longer cause would be refused and the task left waiting. */
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32_768;

/** Completes callback-pattern Task states through the Step Functions API. */
export class StepFunctionsTaskCompletion implements TaskCompletion {
  constructor(private readonly sfn: SFNClient) {}

  succeed(taskToken: string, output: unknown): Promise<void> {
    return this.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? null) }));
  }

  fail(taskToken: string, error: string, cause: string): Promise<void> {
    return this.send(
      new SendTaskFailureCommand({
        taskToken,
        error: error.slice(0, MAX_ERROR_CHARS),
        cause: cause.slice(0, MAX_CAUSE_CHARS),
      }),
    );
  }

  heartbeat(taskToken: string): Promise<void> {
    return this.send(new SendTaskHeartbeatCommand({ taskToken }));
  }

  private async send(
    command: SendTaskSuccessCommand | SendTaskFailureCommand | SendTaskHeartbeatCommand,
  ): Promise<void> {
    try {
      await this.sfn.send(command as SendTaskSuccessCommand);
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      // The SDK's message never quotes the token, but it is not needed either: the name says it all.
      if (CLOSED_TASK_ERRORS.has(name)) throw new TaskAlreadyClosedError(`the task is closed (${name})`);
      throw error;
    }
  }
}
