import { S3Client } from "@aws-sdk/client-s3";
import { APIVIDEO_BASE_URL, ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";
import { envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerApiKey } from "../core/providerApiKey";

/** What every api.video step needs. */
export interface ApiVideoDependencies {
  apiVideo: ApiVideoClient;
  s3: S3Client;
}

/** Builds the api.video steps' clients from the Lambda environment (the secret, the base URL). */
export async function apiVideoDependenciesFromEnvironment(): Promise<ApiVideoDependencies> {
  return { apiVideo: await apiVideoClientFromEnvironment(), s3: new S3Client({}) };
}

/** The api.video client alone, for the functions that only read from api.video (webhook waits). */
export async function apiVideoClientFromEnvironment(timeoutMs?: number): Promise<ApiVideoClient> {
  const { apiKey } = await providerApiKey("apivideo");
  return new ApiVideoClient({
    baseUrl: envOr("APIVIDEO_BASE_URL", APIVIDEO_BASE_URL),
    apiKey,
    fetch: measuredFetch("apivideo"),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
