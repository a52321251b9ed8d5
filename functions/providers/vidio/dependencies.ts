import { S3Client } from "@aws-sdk/client-s3";
import { envOr } from "../../handlers/core/environment";
import { measuredFetch } from "../../handlers/core/metrics";
import { providerCredentials } from "../../handlers/core/providerApiKey";
import { type SourceReader, sourceReader } from "../../pipeline/sourceReader";
import { providerVariable } from "../core/ProviderDescriptor";
import { pathsFromEnvironment } from "./pathsFromEnvironment";
import { vidioProvider } from "./provider";
import { VidioClient } from "./VidioClient";

/** What every VIDIO step needs. */
export interface VidioDependencies {
  vidio: VidioClient;
  reader: SourceReader;
}

/** Builds the VIDIO steps' clients from the Lambda environment (the secret, the base URL, the paths). */
export async function dependenciesFromEnvironment(): Promise<VidioDependencies> {
  const { apiKey } = await providerCredentials(vidioProvider);
  return {
    vidio: new VidioClient({
      baseUrl: envOr(providerVariable(vidioProvider.id, "baseUrl"), vidioProvider.baseUrl),
      apiKey,
      paths: pathsFromEnvironment(),
      fetch: measuredFetch("vidio"),
    }),
    reader: sourceReader(new S3Client({})),
  };
}
