import type {
  CallbackAddress,
  CallbackRecord,
  CallbackRegistry,
  StoredEvent,
} from "../../../functions/callbacks/CallbackRegistry";
import { TaskAlreadyClosedError, type TaskCompletion } from "../../../functions/callbacks/TaskCompletion";

/** The callback registry in a map, keyed as S3 would key it. */
export class InMemoryCallbackRegistry implements CallbackRegistry {
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly events = new Map<string, StoredEvent>();

  async putCallback(address: CallbackAddress, record: CallbackRecord) {
    this.callbacks.set(`${address.provider}/${address.key}`, structuredClone(record));
  }
  async getCallback(address: CallbackAddress) {
    return this.callbacks.get(`${address.provider}/${address.key}`);
  }
  async putEvent(address: CallbackAddress, event: StoredEvent) {
    this.events.set(`${address.provider}/${address.key}`, structuredClone(event));
  }
  async getEvent(address: CallbackAddress) {
    return this.events.get(`${address.provider}/${address.key}`);
  }
}

/** Records every completion call; tokens in `closed` answer as Step Functions does for a finished task. */
export class RecordingTaskCompletion implements TaskCompletion {
  readonly calls: (
    | { kind: "succeed"; taskToken: string; output: unknown }
    | { kind: "fail"; taskToken: string; error: string; cause: string }
    | { kind: "heartbeat"; taskToken: string }
  )[] = [];
  readonly closed = new Set<string>();

  async succeed(taskToken: string, output: unknown) {
    this.check(taskToken);
    this.calls.push({ kind: "succeed", taskToken, output });
  }
  async fail(taskToken: string, error: string, cause: string) {
    this.check(taskToken);
    this.calls.push({ kind: "fail", taskToken, error, cause });
  }
  async heartbeat(taskToken: string) {
    this.check(taskToken);
    this.calls.push({ kind: "heartbeat", taskToken });
  }

  private check(taskToken: string) {
    if (this.closed.has(taskToken)) throw new TaskAlreadyClosedError("closed");
  }
}
