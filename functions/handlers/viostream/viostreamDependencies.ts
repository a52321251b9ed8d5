import { S3Client } from "@aws-sdk/client-s3";
import { providerVariable } from "../../providers/core/ProviderDescriptor";
import { viostreamProvider } from "../../providers/viostream/provider";
import { ViostreamClient } from "../../providers/viostream/ViostreamClient";
import { envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerCredentials } from "../core/providerApiKey";

/** What every Viostream step needs. */
export interface ViostreamDependencies {
  viostream: ViostreamClient;
  s3: S3Client;
}

/** Builds the Viostream steps' clients from the Lambda environment (the secret, the base URL). */
export async function viostreamDependenciesFromEnvironment(): Promise<ViostreamDependencies> {
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
