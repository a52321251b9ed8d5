import { S3Client } from "@aws-sdk/client-s3";
import { envOr } from "../../handlers/core/environment";
import { measuredFetch } from "../../handlers/core/metrics";
import { providerCredentials } from "../../handlers/core/providerApiKey";
import { providerVariable } from "../core/ProviderDescriptor";
import { viostreamProvider } from "./provider";
import { ViostreamClient } from "./ViostreamClient";

/** What every Viostream step needs. */
export interface ViostreamDependencies {
  viostream: ViostreamClient;
  s3: S3Client;
}

/** Builds the Viostream steps' clients from the Lambda environment (the secret, the base URL). */
export async function dependenciesFromEnvironment(): Promise<ViostreamDependencies> {
  const credentials = await providerCredentials(viostreamProvider);
  return {
    viostream: new ViostreamClient({
      baseUrl: envOr(providerVariable(viostreamProvider.id, "baseUrl"), viostreamProvider.baseUrl),
      credentials,
      fetch: measuredFetch("viostream"),
    }),
    s3: new S3Client({}),
  };
}
