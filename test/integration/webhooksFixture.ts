import { readFile } from "node:fs/promises";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll } from "vitest";
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
    context.apiVideo = new ApiVideoSimulator({ processingMs: 40, webhookSecret: API_VIDEO_WEBHOOK_SECRET });
    context.videoDev = new VideoDevSimulator({ processingMs: 40 });
    const apiVideoClient = new ApiVideoClient({
      baseUrl: await context.apiVideo.start(),
      apiKey: context.apiVideo.apiKey,
    });
    const videoDevClient = new VideoDevClient({
      baseUrl: await context.videoDev.start(),
      apiKey: context.videoDev.apiKey,
    });
    context.webhooks = new LocalWebhooks({ s3: context.s3, bucket: context.s3Server.bucket });
    const receiver = context.webhooks.handler;
    const gated: LambdaHandler = async (event, lambdaContext) => {
      const headers = (event as { headers?: Record<string, string> }).headers ?? {};
      if (context.dropProviderDeliveries && headers[TEST_DELIVERY_HEADER] === undefined) {
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
  });

  /** Starts a job; `finished` turns true when it ends, so a test can check it is still waiting. */
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

  return { context, start, post };
}

/** Waits until a condition holds (a state reached, a delivery made); fails the test if it never does. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}
