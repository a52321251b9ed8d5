import { S3Client } from "@aws-sdk/client-s3";
import { envOr } from "../../handlers/core/environment";
import { measuredFetch } from "../../handlers/core/metrics";
import { providerCredentials } from "../../handlers/core/providerApiKey";
import { providerVariable } from "../core/ProviderDescriptor";
import { vidoriProvider } from "./provider";
import { VidoriClient } from "./VidoriClient";

/** What every Vidori step needs. */
export interface VidoriDependencies {
  vidori: VidoriClient;
  s3: S3Client;
}

/** Builds the Vidori steps' clients from the Lambda environment (the secret, the base URL). */
export async function dependenciesFromEnvironment(): Promise<VidoriDependencies> {
  const { apiKey } = await providerCredentials(vidoriProvider);
  return {
    vidori: new VidoriClient({
      baseUrl: envOr(providerVariable(vidoriProvider.id, "baseUrl"), vidoriProvider.baseUrl),
      apiKey,
      fetch: measuredFetch("vidori"),
    }),
    s3: new S3Client({}),
  };
}
