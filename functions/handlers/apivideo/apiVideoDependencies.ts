import { S3Client } from "@aws-sdk/client-s3";
import { ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";
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
  const { apiKey } = await providerApiKey("apivideo");
  return {
    apiVideo: new ApiVideoClient({
      baseUrl: envOr("APIVIDEO_BASE_URL", "https://ws.api.video"),
      apiKey,
      fetch: measuredFetch("apivideo"),
    }),
    s3: new S3Client({}),
  };
}
