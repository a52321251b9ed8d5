import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { z } from "zod";
import { confirmApiVideoOutcome } from "../../callbacks/apiVideoCallbackSource";
import { receiveWebhook, type WebhookReceiverDependencies } from "../../callbacks/receiveWebhook";
import { confirmVideoDevOutcome } from "../../callbacks/videoDevCallbackSource";
import { apiVideoClientFromEnvironment } from "../apivideo/apiVideoDependencies";
import {
  CONFIRM_TIMEOUT_MS,
  callbackDependenciesFromEnvironment,
  callbackSigningKeyFromEnvironment,
} from "../core/callbackDependencies";
import { logger } from "../core/logger";
import { observed } from "../core/observability";
import { secretSetting } from "../core/providerApiKey";
import { videoDevClientFromEnvironment } from "../videodev/videoDevDependencies";

/** The parts of an API Gateway payload format 2.0 event the receiver reads. */
const webhookEvent = z.object({
  pathParameters: z.object({ provider: z.string() }).loose(),
  headers: z.record(z.string(), z.string().optional()).default({}),
  queryStringParameters: z.record(z.string(), z.string().optional()).default({}),
  body: z.string().default(""),
  isBase64Encoded: z.boolean().default(false),
});

/**
 * `POST /webhooks/{provider}` behind API Gateway: the raw body (decoded when API Gateway base64-encoded
 * it, since signatures cover the bytes as sent) and the route's provider go to the pure receiver. A
 * failure is a 500, so the provider retries; the log names the provider, never the URL or body.
 */
export function createWebhookHandler(loadDependencies: () => Promise<WebhookReceiverDependencies>) {
  let dependencies: Promise<WebhookReceiverDependencies> | undefined;
  return observed(
    middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
      const parsed = webhookEvent.safeParse(event);
      if (!parsed.success) return json(400, "not an API Gateway request");
      const { pathParameters, headers, queryStringParameters, body, isBase64Encoded } = parsed.data;
      try {
        dependencies ??= loadDependencies().catch((error: unknown) => {
          dependencies = undefined;
          throw error;
        });
        const answer = await receiveWebhook(
          {
            provider: pathParameters.provider,
            headers: Object.fromEntries(
              Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
            ),
            query: queryStringParameters,
            rawBody: Buffer.from(body, isBase64Encoded ? "base64" : "utf8"),
          },
          await dependencies,
        );
        const { unconfirmedBecause, ...reply } = answer;
        if (answer.statusCode >= 400) {
          logger.warn("webhook refused", {
            provider: pathParameters.provider,
            status: answer.statusCode,
            ...(unconfirmedBecause === undefined ? {} : { error: unconfirmedBecause }),
          });
        }
        return { ...reply, headers: { "content-type": "application/json" } };
      } catch (error) {
        logger.error("webhook failed", {
          provider: pathParameters.provider,
          error: error instanceof Error ? error.name : "Error",
        });
        return json(500, "failed");
      }
    }),
  );
}

/**
 * The receiver's clients on AWS: the callback bucket, Step Functions, the two webhook secrets, and the
 * providers' clients (their API keys) to confirm an event by reading the work back, each made on first use.
 */
export async function webhookReceiverDependenciesFromEnvironment(): Promise<WebhookReceiverDependencies> {
  const apiVideo = once(() => apiVideoClientFromEnvironment(CONFIRM_TIMEOUT_MS));
  const videoDev = once(() => videoDevClientFromEnvironment(CONFIRM_TIMEOUT_MS));
  return {
    ...(await callbackDependenciesFromEnvironment()),
    apiVideoWebhookSecret: () =>
      secretSetting({
        arnVariable: "APIVIDEO_WEBHOOK_SECRET_ARN",
        field: "webhookSecret",
        localVariable: "APIVIDEO_WEBHOOK_SECRET",
      }),
    callbackSigningKey: callbackSigningKeyFromEnvironment,
    confirm: {
      apivideo: async (record) => confirmApiVideoOutcome(await apiVideo())(record),
      videodev: async (record) => confirmVideoDevOutcome(await videoDev())(record),
    },
  };
}

/** A client made once per warm Lambda (api.video's holds its access token); a failed attempt is retried. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

function json(statusCode: number, status: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify({ status }) };
}

export const handler = createWebhookHandler(webhookReceiverDependenciesFromEnvironment);
