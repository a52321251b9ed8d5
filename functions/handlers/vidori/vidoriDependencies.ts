import { S3Client } from "@aws-sdk/client-s3";
import { VIDORI_BASE_URL, VidoriClient } from "../../providers/vidori/VidoriClient";
import { envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerApiKey } from "../core/providerApiKey";

/** What every Vidori step needs. */
export interface VidoriDependencies {
  vidori: VidoriClient;
  s3: S3Client;
}

/** Builds the Vidori steps' clients from the Lambda environment (the secret, the base URL). */
export async function vidoriDependenciesFromEnvironment(): Promise<VidoriDependencies> {
  const { apiKey } = await providerApiKey("vidori");
  return {
    vidori: new VidoriClient({
      baseUrl: envOr("VIDORI_BASE_URL", VIDORI_BASE_URL),
      apiKey,
      fetch: measuredFetch("vidori"),
    }),
    s3: new S3Client({}),
  };
}
