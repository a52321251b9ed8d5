import type { Provider } from "../../functions/pipeline/jobSpec";
import type { FaultSwitches } from "../../functions/providers/core/simulator/FaultSwitches";
import { IMPORT_ROUTE } from "../../functions/providers/vidori/VidoriSimulator";
import type { LocalStack } from "../../local/LocalStack";

/** How a scenario's jobs must end: a result, a failure record with this error, or a 400 at submission. */
export type Expected =
  | { status: "succeeded" }
  | { status: "failed"; error: string }
  | { status: "rejected"; error: string };

/** What a scenario's hooks get: its own stack, and how many jobs each of its providers runs. */
export interface ScenarioContext {
  stack: LocalStack;
  jobsPerProvider: number;
}

/** How a scenario's jobs are started. */
export type StartMode =
  /** `POST /jobs` once per job, with a job id. */
  | "api"
  /** `POST /jobs` three times at once per job, with the same Idempotency-Key and no job id. */
  | "duplicateApi"
  /** An upload under `inbox/<provider>/`, its S3 event delivered twice more. */
  | "upload"
  /** `POST /jobs` with a `source.url` on the local S3 carrying a user and password. */
  | "urlWithPassword";

export interface FaultScenario {
  name: string;
  /** The fault, as the table prints it. */
  fault: string;
  providers: readonly Provider[];
  jobsPerProvider: number;
  /** Whether every fault of the scenario is one a retry (or a lookup) can get past. */
  transient: boolean;
  /** api.video and video.dev waits end on webhooks (default: they poll, which meets more faults). */
  webhooks?: boolean;
  /** How long the simulators take to process a video; default fast. */
  processingMs?: number;
  start?: StartMode;
  /** Arms the faults before the jobs start. */
  arm?: (context: ScenarioContext) => void;
  /** Runs beside the jobs until they end (tokens expiring, webhooks repeated); returns how to stop it. */
  during?: (context: ScenarioContext) => () => void;
  /** After the first attempts: disarm, arm these faults, and redrive every failed job through the API. */
  redrive?: (context: ScenarioContext) => void;
  expected: (provider: Provider) => Expected;
}

export const PROVIDERS_ALL: readonly Provider[] = ["apivideo", "videodev", "vidio", "vidori", "viostream"];
/** The providers where a create can be looked up after its answer was lost (api.video metadata, Viostream referenceId). */
export const LOOKUP_PROVIDERS: readonly Provider[] = ["apivideo", "viostream"];
/** The providers with a wait (a status to poll); Vidori answers its import at once. */
const WAITING: readonly Provider[] = ["apivideo", "videodev", "vidio", "viostream"];

/** Where a user and password appear in the URL-source scenario: it must never reach a record. */
export const URL_PASSWORD = "hunter2-faultsuite";

/** The fault switches of a provider's simulator in the scenario's stack. */
export function faultsOf(stack: LocalStack, provider: Provider): FaultSwitches {
  const simulator = stack.simulators[provider];
  if (!simulator) throw new Error(`${provider} is not simulated`);
  return simulator.server.faults;
}

/** The route that creates the provider's resource (the non-idempotent call). */
export function createRoute(stack: LocalStack, provider: Provider): string {
  switch (provider) {
    case "apivideo":
      return "POST /videos";
    case "videodev":
      return "POST /media/import";
    case "vidio":
      return stack.simulators.vidio?.routes.createHighlightReel ?? "";
    case "vidori":
      return IMPORT_ROUTE;
    case "viostream":
      return "POST /media/new";
  }
}

/** The idempotent GET a wait polls (none for Vidori). */
export function pollRoute(stack: LocalStack, provider: Provider): string {
  switch (provider) {
    case "apivideo":
      return "GET /videos/:videoId/status";
    case "videodev":
      return "GET /media/:mediaId";
    case "vidio":
      return stack.simulators.vidio?.routes.getJob ?? "";
    case "vidori":
      throw new Error("Vidori has no status to poll");
    case "viostream":
      return "GET /media/new/status/:ingestId";
  }
}

const succeed = (): Expected => ({ status: "succeeded" });
const fail = (error: string) => (): Expected => ({ status: "failed", error });
/** A create whose outcome is unknown: looked up where the provider allows it, else an honest failure. */
const lookedUpOrUnknown = (provider: Provider): Expected =>
  LOOKUP_PROVIDERS.includes(provider)
    ? { status: "succeeded" }
    : { status: "failed", error: "ProviderOutcomeUnknownError" };

/** Arms one kind of fault on one route of each provider, `perJob` shots for each of its jobs. */
function onEach(
  providers: readonly Provider[],
  route: (stack: LocalStack, provider: Provider) => string,
  arm: (faults: FaultSwitches, route: string, times: number) => void,
  perJob: number,
) {
  return ({ stack, jobsPerProvider }: ScenarioContext) => {
    for (const provider of providers) {
      arm(faultsOf(stack, provider), route(stack, provider), perJob * jobsPerProvider);
    }
  };
}

/**
 * The fault scenarios. Each runs on a stack of its own, so its switches meet only its jobs; a switch's
 * shots are shared by the scenario's jobs of that provider, and counts stay under every budget even if
 * one job takes them all.
 */
export const SCENARIOS: FaultScenario[] = [
  {
    name: "baseline-polling",
    fault: "none (waits poll)",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 3,
    transient: true,
    expected: succeed,
  },
  {
    name: "baseline-webhooks",
    fault: "none (waits end on webhooks)",
    providers: ["apivideo", "videodev"],
    jobsPerProvider: 4,
    transient: true,
    webhooks: true,
    expected: succeed,
  },
  {
    name: "429-storm-create",
    fault: "429 with Retry-After 1 s, 3 per job, on the create",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.rateLimit({ route, times, retryAfterSeconds: 1 }),
      3,
    ),
    expected: succeed,
  },
  {
    name: "429-storm-poll",
    fault: "429 with Retry-After 1 s, 4 per job, on the status poll",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      WAITING,
      pollRoute,
      (faults, route, times) => faults.rateLimit({ route, times, retryAfterSeconds: 1 }),
      4,
    ),
    expected: succeed,
  },
  {
    name: "429-past-budget",
    fault: "429 (Retry-After 0) on every create, more than the rate-limit budget",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: false,
    arm: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.rateLimit({ route, times, retryAfterSeconds: 0 }),
      40,
    ),
    expected: fail("RateLimitedError"),
  },
  {
    name: "5xx-burst-create",
    fault: "5xx, 2 per job, on the create (refused before acting)",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.unavailable({ route, times }),
      2,
    ),
    expected: succeed,
  },
  {
    name: "5xx-burst-poll",
    fault: "5xx, 3 per job, on the status poll",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.unavailable({ route, times }), 3),
    expected: succeed,
  },
  {
    name: "5xx-outage-poll",
    fault: "5xx on every status poll (an outage past every retry)",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: false,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.unavailable({ route, times }), 100),
    expected: fail("ProviderUnavailableError"),
  },
  {
    name: "latency-past-timeout",
    fault: "one status poll per job answered after 31 s (client timeout 30 s)",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      WAITING,
      pollRoute,
      (faults, route, times) => faults.slow({ route, times, delayMs: 31_000 }),
      1,
    ),
    expected: succeed,
  },
  {
    name: "drop-before-create",
    fault: "connection dropped before the create ran, 1 per job",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.dropConnection({ route, times }),
      1,
    ),
    expected: lookedUpOrUnknown,
  },
  {
    name: "drop-after-create",
    fault: "connection dropped after the create ran (answer lost), 1 per job",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(PROVIDERS_ALL, createRoute, (faults, route, times) => faults.dropAnswer({ route, times }), 1),
    expected: lookedUpOrUnknown,
  },
  {
    name: "drop-poll",
    fault: "connection dropped on the status poll, 2 per job",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.dropConnection({ route, times }), 2),
    expected: succeed,
  },
  {
    name: "drop-answer-poll",
    fault: "status poll answered, then the connection dropped, 2 per job",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.dropAnswer({ route, times }), 2),
    expected: succeed,
  },
  {
    name: "non-json-poll",
    fault: "a 200 with a non-JSON body on the status poll, 1 per job",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.malformedBody({ route, times }), 1),
    expected: succeed,
  },
  {
    name: "wrong-shape-poll",
    fault: "a 200 with JSON of the wrong shape on the status poll, 1 per job",
    providers: WAITING,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(WAITING, pollRoute, (faults, route, times) => faults.wrongShapeBody({ route, times }), 1),
    expected: succeed,
  },
  {
    name: "non-json-create",
    fault: "the create ran and answered 2xx with a non-JSON body, 1 per job",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.malformedBody({ route, times }),
      1,
    ),
    expected: lookedUpOrUnknown,
  },
  {
    name: "expired-tokens",
    fault: "api.video access tokens revoked 4 times while jobs run; one token exchange dropped",
    providers: ["apivideo"],
    jobsPerProvider: 8,
    transient: true,
    arm: ({ stack }) => faultsOf(stack, "apivideo").dropConnection({ route: "POST /auth/api-key", times: 1 }),
    during: ({ stack }) => revokeTokensAtMilestones(stack, [10, 40, 80, 120]),
    expected: succeed,
  },
  {
    name: "never-finishes-polling",
    fault: "the provider's job never finishes (waits poll)",
    providers: WAITING,
    jobsPerProvider: 1,
    transient: false,
    processingMs: 1e9,
    expected: fail("PollLimitReachedError"),
  },
  {
    name: "never-finishes-webhooks",
    fault: "the provider's job never finishes and sends no webhook",
    providers: ["apivideo", "videodev"],
    jobsPerProvider: 1,
    transient: false,
    webhooks: true,
    processingMs: 1e9,
    expected: fail("PollLimitReachedError"),
  },
  {
    name: "provider-job-fails",
    fault: "the provider's job fails (encoding, import, reel, ingest; Vidori rejects the asset)",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: false,
    arm: ({ stack, jobsPerProvider }) => {
      for (let n = 0; n < jobsPerProvider; n += 1) {
        stack.simulators.apivideo?.failNextEncoding();
        stack.simulators.videodev?.failNextImport("the source could not be decoded");
        stack.simulators.vidio?.failNextJob("no highlights found");
        stack.simulators.viostream?.failNextIngest("transcode failed");
      }
      stack.simulators.vidori?.rejectUrlsMatching(/./, "Unsupported codec");
    },
    expected: (provider) =>
      provider === "vidori"
        ? { status: "failed", error: "ProviderRejectedError" }
        : { status: "failed", error: "ProviderJobFailedError" },
  },
  {
    name: "error-echoes-presigned-url",
    fault: "Vidori rejects each asset with an error quoting its presigned URL",
    providers: ["vidori"],
    jobsPerProvider: 6,
    transient: false,
    arm: ({ stack }) =>
      stack.simulators.vidori?.rejectUrlsMatching(/./, (url) => `Could not download ${url}: 403 Forbidden`),
    expected: fail("ProviderRejectedError"),
  },
  {
    name: "url-with-password",
    fault: "source.url with user:password@ (on the local S3)",
    providers: ["apivideo", "videodev", "vidori", "viostream"],
    jobsPerProvider: 2,
    transient: false,
    start: "urlWithPassword",
    expected: () => ({ status: "rejected", error: "InvalidInputError" }),
  },
  {
    name: "redrive-after-outage",
    fault: "5xx past every retry on the status poll (Vidori: import), redriven into a 429 and a 5xx",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: ({ stack, jobsPerProvider }) => {
      for (const provider of PROVIDERS_ALL) {
        const route = provider === "vidori" ? createRoute(stack, provider) : pollRoute(stack, provider);
        faultsOf(stack, provider).unavailable({ route, times: 100 * jobsPerProvider });
      }
    },
    redrive: ({ stack, jobsPerProvider }) => {
      for (const provider of PROVIDERS_ALL) {
        const route = provider === "vidori" ? createRoute(stack, provider) : pollRoute(stack, provider);
        faultsOf(stack, provider)
          .rateLimit({ route, times: jobsPerProvider, retryAfterSeconds: 1 })
          .unavailable({ route, times: jobsPerProvider });
      }
    },
    expected: succeed,
  },
  {
    name: "redrive-after-lost-create",
    fault: "create answer lost (provider acted), every failed job redriven into a 5xx on the create",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    arm: onEach(PROVIDERS_ALL, createRoute, (faults, route, times) => faults.dropAnswer({ route, times }), 1),
    // A 5xx is refused before acting: it hides no duplicate a redrive might create, as a drop would.
    redrive: onEach(
      PROVIDERS_ALL,
      createRoute,
      (faults, route, times) => faults.unavailable({ route, times }),
      1,
    ),
    expected: lookedUpOrUnknown,
  },
  {
    name: "upload-range-faults",
    fault: "5xx and a dropped connection while the bytes go up (api.video chunk, VIDIO slot)",
    providers: ["apivideo", "vidio"],
    jobsPerProvider: 3,
    transient: true,
    arm: ({ stack, jobsPerProvider }) => {
      faultsOf(stack, "apivideo")
        .unavailable({ route: "POST /videos/:videoId/source", times: jobsPerProvider })
        .dropConnection({ route: "POST /videos/:videoId/source", times: jobsPerProvider });
      const slot = stack.simulators.vidio?.routes.uploadSlot ?? "";
      faultsOf(stack, "vidio")
        .unavailable({ route: slot, times: jobsPerProvider })
        .dropConnection({ route: slot, times: jobsPerProvider });
    },
    expected: succeed,
  },
  {
    name: "duplicate-s3-events",
    fault: "every upload's S3 event delivered three times",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    start: "upload",
    expected: succeed,
  },
  {
    name: "duplicate-api-calls",
    fault: "every POST /jobs sent three times at once with one Idempotency-Key",
    providers: PROVIDERS_ALL,
    jobsPerProvider: 2,
    transient: true,
    start: "duplicateApi",
    expected: succeed,
  },
  {
    name: "duplicate-webhooks",
    fault: "every webhook delivered twice more as it arrives",
    providers: ["apivideo", "videodev"],
    jobsPerProvider: 4,
    transient: true,
    webhooks: true,
    during: ({ stack }) => repeatWebhooks(stack),
    expected: succeed,
  },
];

/**
 * Revokes every api.video access token when the simulator has answered this many requests: a token dies
 * under its holder, as when api.video's clock runs ahead. Request counts, not time, so two revocations
 * never fall between one request's 401, its new token and its retry.
 */
function revokeTokensAtMilestones(stack: LocalStack, milestones: number[]): () => void {
  const left = [...milestones];
  const timer = setInterval(() => {
    const simulator = stack.simulators.apivideo;
    const next = left[0];
    if (simulator && next !== undefined && simulator.server.log.length >= next) {
      left.shift();
      simulator.expireTokens();
    }
  }, 2);
  return () => clearInterval(timer);
}

/** Sends every webhook a simulator delivers twice more, as a provider retrying its deliveries does. */
function repeatWebhooks(stack: LocalStack): () => void {
  let apiVideoSeen = 0;
  let videoDevSeen = 0;
  const repeat = (url: string, body: string, headers: Record<string, string>) => {
    for (let copy = 0; copy < 2; copy += 1) {
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
        .then((response) => response.body?.cancel())
        .catch(() => undefined);
    }
  };
  const timer = setInterval(() => {
    const apiVideo = stack.simulators.apivideo?.deliveries ?? [];
    for (const delivery of apiVideo.slice(apiVideoSeen)) {
      repeat(delivery.url, delivery.body, { "x-api-video-signature": delivery.signature });
    }
    apiVideoSeen = apiVideo.length;
    const videoDev = stack.simulators.videodev?.webhookDeliveries ?? [];
    for (const delivery of videoDev.slice(videoDevSeen)) {
      repeat(delivery.url, JSON.stringify({ event: delivery.event, body: delivery.body }), {});
    }
    videoDevSeen = videoDev.length;
  }, 10);
  return () => clearInterval(timer);
}
