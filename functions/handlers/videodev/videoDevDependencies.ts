import { S3Client } from "@aws-sdk/client-s3";
import { callbackUrl } from "../../callbacks/callbackSecret";
import type { Stage } from "../../pipeline/stages";
import { VIDEODEV_BASE_URL, VideoDevClient } from "../../providers/videodev/VideoDevClient";
import { callbackSigningKeyFromEnvironment } from "../core/callbackDependencies";
import { envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerApiKey } from "../core/providerApiKey";

/** What every video.dev step needs. */
export interface VideoDevDependencies {
  videoDev: VideoDevClient;
  s3: S3Client;
  /** The URL video.dev calls when a wait's work ends; absent where no public webhook URL is configured. */
  callbackUrl?: (jobId: string, stage: Stage) => string;
}

/**
 * Builds the video.dev steps' clients from the Lambda environment (the secret, the base URL) and, when
 * `WEBHOOK_BASE_URL` is set, the callback URLs signed with the callback signing key.
 */
export async function videoDevDependenciesFromEnvironment(): Promise<VideoDevDependencies> {
  const webhookBaseUrl = process.env.WEBHOOK_BASE_URL;
  const signingKey = webhookBaseUrl ? await callbackSigningKeyFromEnvironment() : undefined;
  return {
    videoDev: await videoDevClientFromEnvironment(),
    s3: new S3Client({}),
    ...(webhookBaseUrl && signingKey
      ? {
          callbackUrl: (jobId: string, stage: Stage) => callbackUrl(webhookBaseUrl, signingKey, jobId, stage),
        }
      : {}),
  };
}

/** The video.dev client alone, for the functions that only read from video.dev (webhook waits). */
export async function videoDevClientFromEnvironment(timeoutMs?: number): Promise<VideoDevClient> {
  const { apiKey } = await providerApiKey("videodev");
  return new VideoDevClient({
    baseUrl: envOr("VIDEODEV_BASE_URL", VIDEODEV_BASE_URL),
    apiKey,
    fetch: measuredFetch("videodev"),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
