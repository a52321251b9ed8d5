import type { z } from "zod";
import type { Stage } from "../../pipeline/stages";

/** The wait stages: the ones a webhook can end instead of a poll. */
export type WaitStage = "awaitUpload" | "awaitCreate" | "awaitRender";

/**
 * One Lambda function of a provider, as the CDK app builds it and the local runtime runs it. `entry` exports
 * `handler`; the function belongs to the provider whose descriptor lists it.
 */
export interface ProviderFunction {
  /** Names the construct and the definition's `${<id>FunctionArn}` placeholder, e.g. `AcmeIngest`. */
  id: string;
  /** The handler file, relative to the project root. */
  entry: string;
  description: string;
  /** Sized per operation: an upload holds a chunk and its multipart copy, a poll holds one small JSON. */
  memoryMb: number;
  timeoutSeconds: number;
  /** False for a step that calls no provider (a publish that only reports): it gets no access to the secret. */
  usesCredentials?: false;
  /** Whether it reads the job's source objects (ranged or presigned GETs), and so needs read access. */
  readsSources?: boolean;
  /**
   * Whether it files task tokens for webhooks: it needs read/write on `callbacks/*` of the callback bucket
   * and states:SendTaskSuccess/SendTaskFailure (a completion event may have come first).
   */
  callbacks?: boolean;
  /** Whether it gives the provider a signed callback URL (when webhooks are on), so it needs the signing key. */
  sendsCallbackUrls?: boolean;
}

/**
 * How a webhook of the provider is told from a forgery: a signature over the body with a secret the provider
 * issued (api.video), or a per-wait secret in the callback URL we gave it (video.dev signs nothing).
 */
export type WebhookAuthentication = "signedBody" | "callbackUrlSecret";

/**
 * Everything the project states about one provider, as data: what the job spec accepts, what its secret
 * holds, which function runs each stage. It imports no client or simulator, so the registry that lists every
 * descriptor can be read by the domain schema and every Lambda without carrying any provider's code; the
 * code that builds clients and simulators is the provider's `connector.ts`, read by the local runtime and
 * the CLI only.
 */
export interface ProviderDescriptor {
  /** The job spec's `provider`, the `/webhooks/{provider}` path segment, and the env variables' prefix. */
  id: string;
  /** How the provider writes its own name, for people reading output and consoles. */
  displayName: string;
  /** How many sources one job may carry. */
  maxSources: number;
  /**
   * Where one request takes many sources: a batch import joins this many one-source rows with the same
   * options into one job. Absent: every row is a job of its own.
   */
  importGroupSize?: number;
  /** The job spec's options under the provider's own key (`{"<id>": {...}}`); defaults fill every field. */
  options: z.ZodObject;
  /**
   * The fields of the provider's secret (JSON in Secrets Manager) with a hint of each value; locally each
   * field is an environment variable named by `secretVariable`.
   */
  secret: Readonly<Record<string, string>>;
  /** The provider's documented API base URL; `<ID>_BASE_URL` overrides it. */
  baseUrl: string;
  /** Where a local run with real keys goes when that differs from `baseUrl` (api.video's sandbox). */
  localBaseUrl?: string;
  functions: readonly ProviderFunction[];
  /** Which function (by id) runs each stage the provider has; a stage it lacks is skipped. */
  plan: Partial<Record<Stage, string>>;
  /** Webhook support: how a callback is authenticated and which function files each wait's task token. */
  webhook?: {
    authentication: WebhookAuthentication;
    stages: Partial<Record<WaitStage, string>>;
  };
  /**
   * How its steps find what an earlier attempt created, so a create whose answer was lost can be resumed
   * without sending it twice; absent where the provider offers no lookup (nor idempotency key).
   */
  createLookup?: string;
  /** How the provider's credentials can be checked, for `vidstep check`; absent where none is documented. */
  credentialsCheck?: string;
  /** What the workflow's Plan state should say about this provider beyond its stages (its `Comment`). */
  workflowNote?: string;
}

/**
 * Keeps a descriptor's literal types (its id, its function ids, its options schema) while checking it against
 * the descriptor's shape; the registry derives the job spec's variants and the function ids from them.
 */
export function defineProvider<const D extends ProviderDescriptor>(descriptor: D): D {
  return descriptor;
}

/** The one place a provider setting's environment variable is named: `acme`, `apiKey` -> `ACME_API_KEY`. */
export function providerVariable(provider: string, setting: string): string {
  return `${provider}_${setting.replace(/([a-z0-9])([A-Z])/g, "$1_$2")}`.toUpperCase();
}
