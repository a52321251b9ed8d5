import { verifyApiVideoSignature } from "../providers/apivideo/ApiVideoClient";
import { descriptorOf } from "../providers/registry";
import { apiVideoCallbackSource } from "./apiVideoCallbackSource";
import type { CallbackOutcome, ConfirmOutcome } from "./CallbackOutcome";
import {
  CALLBACK_PROVIDERS,
  type CallbackAddress,
  type CallbackProvider,
  type CallbackRecord,
  type CallbackRegistry,
} from "./CallbackRegistry";
import type { CallbackSource } from "./CallbackSource";
import { isCallbackSecret } from "./callbackSecret";
import { settleCallback } from "./settleCallback";
import type { TaskCompletion } from "./TaskCompletion";
import { videoDevCallbackSource } from "./videoDevCallbackSource";

/** A signed event older or newer than this is a replay (or a badly wrong clock): refused. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** The waits video.dev can call back, as the callback URL's `stage` names them. */
const VIDEODEV_STAGES = new Set(Object.keys(descriptorOf("videodev").webhook.stages));

/** One webhook delivery as the route hands it over: the body exactly as sent, for the signature. */
export interface WebhookRequest {
  provider: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** What the receiver needs; the secrets are read lazily so an unknown provider costs no secret read. */
export interface WebhookReceiverDependencies {
  registry: CallbackRegistry;
  completion: TaskCompletion;
  /** api.video's webhook signatureSecret. */
  apiVideoWebhookSecret: () => Promise<string>;
  /** The key video.dev callback URLs' secrets are derived with. */
  callbackSigningKey: () => Promise<string>;
  /** Reads each provider's view of a wait's work: what ends the wait, whatever the event said. */
  confirm: Record<CallbackProvider, ConfirmOutcome>;
  now?: () => Date;
}

/** The HTTP answer; the body never echoes the token, the secret or the event. */
export interface WebhookAnswer {
  statusCode: number;
  body: string;
  /** For the log only: the name of the error that kept the outcome from being confirmed. */
  unconfirmedBecause?: string;
}

interface Authenticated<E> {
  source: CallbackSource<E>;
  address: CallbackAddress;
  event: E;
}

/**
 * Authenticates a provider's webhook, then asks the provider how the awaited work stands and ends (or keeps
 * alive) the waiting task on that answer: the event only says when to look, so a forged "error" (or
 * "complete") from whoever holds a callback URL cannot decide a job. A forged, unsigned or replayed call is
 * refused with 401 before anything is read or written. A duplicate finds its wait already completed and does
 * nothing; an event that beats its registration is kept for it (202). When the provider cannot be read, the
 * answer is 503 so the provider delivers again; the wait is not failed for our or the provider's outage.
 */
export async function receiveWebhook(
  request: WebhookRequest,
  dependencies: WebhookReceiverDependencies,
): Promise<WebhookAnswer> {
  const now = dependencies.now ?? (() => new Date());
  const authenticate = (CALLBACK_PROVIDERS as readonly string[]).includes(request.provider)
    ? AUTHENTICATORS[request.provider as CallbackProvider]
    : undefined;
  if (!authenticate) return answer(404, "no webhooks for this provider");
  const authenticated = await authenticate(request, dependencies, now());
  if ("statusCode" in authenticated) return authenticated;
  return deliver(authenticated as Authenticated<unknown>, dependencies, now);
}

/** Tells a provider's real webhook from a forged, unsigned or replayed one, and reads its event. */
type Authenticator = (
  request: WebhookRequest,
  dependencies: WebhookReceiverDependencies,
  now: Date,
) => Promise<Authenticated<unknown> | WebhookAnswer>;

async function authenticateApiVideo(
  request: WebhookRequest,
  dependencies: WebhookReceiverDependencies,
  now: Date,
): Promise<Authenticated<unknown> | WebhookAnswer> {
  const signature = request.headers["x-api-video-signature"];
  const secret = await dependencies.apiVideoWebhookSecret();
  if (!verifyApiVideoSignature(request.rawBody, signature, secret)) return answer(401, "bad signature");
  const body = parseJson(request.rawBody);
  const type = (body as { type?: unknown } | undefined)?.type;
  const event = apiVideoCallbackSource.event.safeParse(body);
  if (!event.success) {
    // Signed by api.video, but an event no wait listens to (another subscription on the same URL).
    return typeof type === "string" ? answer(200, "ignored") : answer(400, "not an api.video event");
  }
  const emittedAt = Date.parse(event.data.emittedAt);
  if (!Number.isFinite(emittedAt) || Math.abs(now.getTime() - emittedAt) > REPLAY_WINDOW_MS) {
    return answer(401, "event outside the replay window");
  }
  return {
    source: apiVideoCallbackSource,
    address: { provider: "apivideo", key: event.data.videoId },
    event: event.data,
  };
}

async function authenticateVideoDev(
  request: WebhookRequest,
  dependencies: WebhookReceiverDependencies,
): Promise<Authenticated<unknown> | WebhookAnswer> {
  const { job, stage, secret } = request.query;
  if (job === undefined || stage === undefined || !VIDEODEV_STAGES.has(stage)) {
    return answer(401, "not a callback URL");
  }
  const signingKey = await dependencies.callbackSigningKey();
  if (!isCallbackSecret(signingKey, job, stage, secret)) return answer(401, "bad callback secret");
  const event = videoDevCallbackSource.event.safeParse(parseJson(request.rawBody));
  if (!event.success) return answer(400, "not a video.dev event");
  return {
    source: videoDevCallbackSource,
    address: { provider: "videodev", key: `${job}/${stage}` },
    event: event.data,
  };
}

async function deliver<E>(
  { source, address, event }: Authenticated<E>,
  dependencies: WebhookReceiverDependencies,
  now: () => Date,
): Promise<WebhookAnswer> {
  const { registry } = dependencies;
  const subjectId = source.subjectOf(event);
  const record = await registry.getCallback(address);
  if (record) return settle(address, subjectId, record, dependencies, now);
  if (!source.terminal(event)) return answer(202, "no wait registered yet");
  await registry.putEvent(address, { subjectId, receivedAt: now().toISOString(), event });
  // The registration may have filed its token while the event was being written: look once more.
  const late = await registry.getCallback(address);
  if (late) return settle(address, subjectId, late, dependencies, now);
  return answer(202, "kept for the wait to find");
}

async function settle(
  address: CallbackAddress,
  subjectId: string,
  record: CallbackRecord,
  dependencies: WebhookReceiverDependencies,
  now: () => Date,
): Promise<WebhookAnswer> {
  if (record.subjectId !== subjectId) return answer(200, "not the awaited work");
  if (record.completedAt !== undefined) return answer(200, "already completed");
  let outcome: CallbackOutcome;
  try {
    outcome = await dependencies.confirm[address.provider](record);
  } catch (error) {
    return {
      ...answer(503, "could not confirm with the provider; deliver again"),
      unconfirmedBecause: error instanceof Error ? error.name : "Error",
    };
  }
  const settlement = await settleCallback(
    dependencies.registry,
    dependencies.completion,
    address,
    record,
    outcome,
    now,
  );
  return answer(200, settlement);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

function answer(statusCode: number, status: string): WebhookAnswer {
  return { statusCode, body: JSON.stringify({ status }) };
}

/** Each webhook provider's authenticator; the compiler asks for one per provider whose descriptor has a webhook. */
const AUTHENTICATORS: Record<CallbackProvider, Authenticator> = {
  apivideo: authenticateApiVideo,
  videodev: authenticateVideoDev,
};
