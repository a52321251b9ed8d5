import type {
  CallbackAddress,
  CallbackRecord,
  CallbackRegistry,
  StoredEvent,
} from "../../../functions/callbacks/CallbackRegistry";
import { TaskAlreadyClosedError, type TaskCompletion } from "../../../functions/callbacks/TaskCompletion";
import { ApiVideoClient } from "../../../functions/providers/apivideo/ApiVideoClient";
import type { Fetch } from "../../../functions/providers/core/ProviderHttpClient";
import { VideoDevClient } from "../../../functions/providers/videodev/VideoDevClient";

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

/**
 * A provider's read API in memory, for the clients that confirm webhooks: each `METHOD /path` answers what
 * the test scripted (404 otherwise), and every request is recorded. No socket is opened.
 */
export class ScriptedApi {
  readonly asked: string[] = [];
  private readonly answers = new Map<string, { status: number; body: unknown }>();

  /** Scripts the answer to `route`, e.g. `GET /media/m1`; a later call replaces it. */
  answer(route: string, body: unknown, status = 200): this {
    this.answers.set(route, { status, body });
    return this;
  }

  /** How many requests were not the token exchange: the reads of the awaited work. */
  get reads(): number {
    return this.asked.filter((route) => !route.startsWith("POST /auth/")).length;
  }

  readonly fetch: Fetch = async (input, init) => {
    const route = `${init.method ?? "GET"} ${new URL(input).pathname}`;
    this.asked.push(route);
    const scripted = this.answers.get(route) ?? { status: 404, body: { message: `${route} not scripted` } };
    return new Response(JSON.stringify(scripted.body), {
      status: scripted.status,
      headers: { "content-type": "application/json" },
    });
  };
}

/** api.video's read API in memory: the token exchange is answered, the status is up to the test. */
export function scriptedApiVideo(): { api: ScriptedApi; client: ApiVideoClient } {
  const api = new ScriptedApi().answer("POST /auth/api-key", {
    access_token: "access",
    refresh_token: "refresh",
    token_type: "Bearer",
    expires_in: 3600,
  });
  return {
    api,
    client: new ApiVideoClient({ baseUrl: "http://apivideo.invalid", apiKey: "k", fetch: api.fetch }),
  };
}

/** video.dev's read API in memory. */
export function scriptedVideoDev(): { api: ScriptedApi; client: VideoDevClient } {
  const api = new ScriptedApi();
  return {
    api,
    client: new VideoDevClient({ baseUrl: "http://videodev.invalid", apiKey: "k", fetch: api.fetch }),
  };
}
