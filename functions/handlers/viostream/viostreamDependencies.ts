import { S3Client } from "@aws-sdk/client-s3";
import { VIOSTREAM_BASE_URL, ViostreamClient } from "../../providers/viostream/ViostreamClient";
import { ConfigurationError, envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerApiKey } from "../core/providerApiKey";

/** What every Viostream step needs. */
export interface ViostreamDependencies {
  viostream: ViostreamClient;
  s3: S3Client;
}

/** Builds the Viostream steps' clients from the Lambda environment (the secret, the base URL). */
export async function viostreamDependenciesFromEnvironment(): Promise<ViostreamDependencies> {
  const { apiKey, accessKey } = await providerApiKey("viostream");
  if (!accessKey)
    throw new ConfigurationError("viostream credentials need an accessKey (VC-...) beside the apiKey");
  return {
    viostream: new ViostreamClient({
      baseUrl: envOr("VIOSTREAM_BASE_URL", VIOSTREAM_BASE_URL),
      credentials: { accessKey, apiKey },
      fetch: measuredFetch("viostream"),
    }),
    s3: new S3Client({}),
  };
}
