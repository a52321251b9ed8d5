/**
 * How a waiting Task state is ended or kept alive: Step Functions' SendTaskSuccess/Failure/Heartbeat on
 * AWS, the local runtime's token registry on one machine.
 */
export interface TaskCompletion {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  heartbeat(taskToken: string): Promise<void>;
}

/**
 * The task is no longer waiting (completed, timed out, or its execution ended): a late or duplicate
 * webhook finds this, and it is harmless.
 */
export class TaskAlreadyClosedError extends Error {
  override readonly name = "TaskAlreadyClosedError";
}
