import { readFile } from "node:fs/promises";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { CallbackProvider, CallbackRecord } from "../../functions/callbacks/CallbackRegistry";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import { ApiVideoClient } from "../../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../../functions/providers/apivideo/ApiVideoSimulator";
import { VideoDevClient } from "../../functions/providers/videodev/VideoDevClient";
import { VideoDevSimulator } from "../../functions/providers/videodev/VideoDevSimulator";
import type { LambdaHandler } from "../../local/invokeLocalLambda";
import { LocalHttpApi } from "../../local/LocalHttpApi";
import { LocalJobEvents } from "../../local/LocalJobEvents";
import { LocalPipeline, type LocalRunOptions, type PipelineProgress } from "../../local/LocalPipeline";
import { LocalS3 } from "../../local/LocalS3";
import { type LocalDependencies, localFunctions } from "../../local/localFunctions";
import { LocalWebhooks, WEBHOOK_ROUTE } from "../../local/localWebhooks";

/** The api.video simulator signs every delivery with this, so a test can sign a genuine one too. */
export const API_VIDEO_WEBHOOK_SECRET = "test-webhook-secret";
/** A request carrying this header reaches the receiver even while the providers' deliveries are dropped. */
export const TEST_DELIVERY_HEADER = "x-test-delivery";

const FAST: LocalRunOptions = { pollWaitMs: 5, retryWaitMs: 0, rateLimitWaitMs: 0 };
const SOURCE_KEY = "inbox/sample-4s-landscape.mp4";
/** How long the simulators take to process; a test that holds an import back raises it and this restores it. */
const PROCESSING_MS = 40;

interface WebhooksContext {
  s3Server: LocalS3;
  s3: S3Client;
  apiVideo: ApiVideoSimulator;
  videoDev: VideoDevSimulator;
  webhooks: LocalWebhooks;
  api: LocalHttpApi;
  pipeline: LocalPipeline;
  /** While true, the providers' own deliveries are answered 503 and never reach the receiver: lost webhooks. */
  dropProviderDeliveries: boolean;
  /** While true, video.dev's import deliveries are lost (its render deliveries still arrive). */
  dropImportDeliveries: boolean;
}

/**
 * S3 (s3rver), the api.video and video.dev simulators, the local API serving the webhook receiver, and the
 * pipeline with webhook waits on: the providers call the API over HTTP on 127.0.0.1, as they would call
 * API Gateway. Only api.video and video.dev jobs run here, so the other providers get no clients.
 */
export function useWebhookStack() {
  const context = {} as WebhooksContext;
  beforeAll(async () => {
    context.s3Server = await LocalS3.start("vidstep-webhooks");
    context.s3 = context.s3Server.client();
    const body = await readFile(new URL("../fixtures/sample-4s-landscape.mp4", import.meta.url));
    await context.s3.send(
      new PutObjectCommand({ Bucket: context.s3Server.bucket, Key: SOURCE_KEY, Body: body }),
    );
    context.apiVideo = new ApiVideoSimulator({
      processingMs: PROCESSING_MS,
      webhookSecret: API_VIDEO_WEBHOOK_SECRET,
    });
    context.videoDev = new VideoDevSimulator({ processingMs: PROCESSING_MS });
    const apiVideoClient = new ApiVideoClient({
      baseUrl: await context.apiVideo.start(),
      apiKey: context.apiVideo.apiKey,
    });
    const videoDevClient = new VideoDevClient({
      baseUrl: await context.videoDev.start(),
      apiKey: context.videoDev.apiKey,
    });
    context.webhooks = new LocalWebhooks({
      s3: context.s3,
      bucket: context.s3Server.bucket,
      apiVideo: apiVideoClient,
      videoDev: videoDevClient,
    });
    const receiver = context.webhooks.handler;
    const gated: LambdaHandler = async (event, lambdaContext) => {
      const { headers = {}, queryStringParameters = {} } = event as {
        headers?: Record<string, string>;
        queryStringParameters?: Record<string, string>;
      };
      const fromProvider = headers[TEST_DELIVERY_HEADER] === undefined;
      const lostImport = context.dropImportDeliveries && queryStringParameters.stage === "awaitUpload";
      if (fromProvider && (context.dropProviderDeliveries || lostImport)) {
        return { statusCode: 503, body: "" };
      }
      return receiver(event, lambdaContext);
    };
    context.api = await LocalHttpApi.start({ [WEBHOOK_ROUTE]: gated });
    await context.webhooks.connect(context.api.url, apiVideoClient);
    const unused = undefined as never;
    const dependencies: LocalDependencies = {
      apivideo: { apiVideo: apiVideoClient, s3: context.s3 },
      videodev: {
        videoDev: videoDevClient,
        s3: context.s3,
        callbackUrl: context.webhooks.videoDevCallbackUrl,
      },
      vidio: unused,
      vidori: unused,
      viostream: unused,
      results: {
        s3: context.s3,
        bucket: context.s3Server.bucket,
        events: new LocalJobEvents(context.s3Server.bucket),
      },
      callbacks: context.webhooks.callbacks,
    };
    context.pipeline = new LocalPipeline(localFunctions(dependencies), {
      taskTokens: context.webhooks.taskTokens,
    });
  });
  afterAll(async () => {
    context.s3?.destroy();
    await Promise.allSettled([
      context.api?.stop(),
      context.apiVideo?.stop(),
      context.videoDev?.stop(),
      context.s3Server?.stop(),
    ]);
  });
  afterEach(() => {
    context.dropProviderDeliveries = false;
    context.dropImportDeliveries = false;
    context.videoDev.clock.processingMs = PROCESSING_MS;
  });

  /**
   * Starts a job; `finished` turns true when it ends, so a test can check it is still waiting. Webhook waits
   * keep the definition's 15-minute heartbeat unless a test shortens it: within a test, only a webhook (or
   * the test itself) can end them, however slowly the machine runs.
   */
  function start(provider: "apivideo" | "videodev", options: LocalRunOptions = {}) {
    const progress: PipelineProgress[] = [];
    const job = parseJobSpec({ provider, source: { bucket: context.s3Server.bucket, key: SOURCE_KEY } });
    const state = { finished: false };
    const outcome = context.pipeline
      .run(job, { ...FAST, ...options, onProgress: (p) => progress.push(p) })
      .finally(() => {
        state.finished = true;
      });
    const entered = () => progress.filter((p) => p.kind === "entered").map((p) => p.state);
    return { job, outcome, progress, entered, state };
  }

  /** POSTs to the local API as a test, past the delivery gate. */
  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${context.api.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", [TEST_DELIVERY_HEADER]: "1", ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { status: string } };
  }

  /** The wait a job's registration filed under a callback address, once it has. */
  function registration(provider: CallbackProvider, key: string): Promise<CallbackRecord | undefined> {
    return context.webhooks.callbacks.registry.getCallback({ provider, key });
  }

  return { context, start, post, registration };
}

/**
 * Waits until a condition holds (a state reached, a delivery made, a wait filed). Nothing is asserted on how
 * long that takes: the bound only turns a condition that never holds into a named failure before the test's
 * own timeout.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 2_500; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
