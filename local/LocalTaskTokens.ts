import { randomUUID } from "node:crypto";
import { TaskAlreadyClosedError, type TaskCompletion } from "../functions/callbacks/TaskCompletion";

/** How long a local wait may last, as a Task state's HeartbeatSeconds and TimeoutSeconds say. */
export interface LocalWaitLimits {
  heartbeatMs?: number;
  timeoutMs?: number;
}

interface OpenTask {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  settled: Promise<unknown>;
  heartbeatMs: number | undefined;
  heartbeatTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
}

/**
 * The task tokens of a local run: what Step Functions does for `.waitForTaskToken` on AWS. A token is
 * opened when its Task state starts, and its wait ends by `succeed`/`fail` (the webhook receiver's
 * `TaskCompletion`), or by `States.HeartbeatTimeout`/`States.Timeout` so the definition's Catch takes over.
 */
export class LocalTaskTokens implements TaskCompletion {
  private readonly open = new Map<string, OpenTask>();

  /** Opens a task and starts its clocks; the promise settles as the task ends. */
  start(limits: LocalWaitLimits = {}): { taskToken: string; settled: Promise<unknown> } {
    const taskToken = `local-task-${randomUUID()}`;
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const settled = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const task: OpenTask = { resolve, reject, settled, heartbeatMs: limits.heartbeatMs };
    this.open.set(taskToken, task);
    if (limits.timeoutMs !== undefined) {
      task.timeoutTimer = setTimeout(() => this.expire(taskToken, "States.Timeout"), limits.timeoutMs);
    }
    this.beat(taskToken, task);
    return { taskToken, settled };
  }

  /** How many tasks are waiting for their callback now. */
  get waiting(): number {
    return this.open.size;
  }

  async succeed(taskToken: string, output: unknown): Promise<void> {
    // A copy, as the output crosses the Step Functions API as JSON.
    this.close(taskToken).resolve(JSON.parse(JSON.stringify(output ?? null)));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    const failure = new Error(cause);
    failure.name = error;
    this.close(taskToken).reject(failure);
  }

  async heartbeat(taskToken: string): Promise<void> {
    const task = this.open.get(taskToken);
    if (!task) throw new TaskAlreadyClosedError("the local task is closed");
    this.beat(taskToken, task);
  }

  /** Forgets a task whose registration failed; its wait never ends, as on AWS the Task state failed instead. */
  abandon(taskToken: string): void {
    const task = this.open.get(taskToken);
    if (task) this.clear(task);
    this.open.delete(taskToken);
  }

  private beat(taskToken: string, task: OpenTask): void {
    if (task.heartbeatMs === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(
      () => this.expire(taskToken, "States.HeartbeatTimeout"),
      task.heartbeatMs,
    );
  }

  private expire(taskToken: string, error: "States.HeartbeatTimeout" | "States.Timeout"): void {
    const task = this.open.get(taskToken);
    if (!task) return;
    this.close(taskToken);
    const failure = new Error(
      `no callback within the task's ${error === "States.Timeout" ? "timeout" : "heartbeat"}`,
    );
    failure.name = error;
    task.reject(failure);
  }

  private close(taskToken: string): OpenTask {
    const task = this.open.get(taskToken);
    if (!task) throw new TaskAlreadyClosedError("the local task is closed");
    this.clear(task);
    this.open.delete(taskToken);
    return task;
  }

  private clear(task: OpenTask): void {
    clearTimeout(task.heartbeatTimer);
    clearTimeout(task.timeoutTimer);
  }
}
