import { S3Client } from "@aws-sdk/client-s3";
import { type SourceReader, sourceReader } from "../../pipeline/sourceReader";
import { VIDIO_BASE_URL, VidioClient } from "../../providers/vidio/VidioClient";
import { envOr } from "../core/environment";
import { measuredFetch } from "../core/metrics";
import { providerApiKey } from "../core/providerApiKey";
import { vidioPathsFromEnvironment } from "./vidioPathsFromEnvironment";

/** What every VIDIO step needs. */
export interface VidioDependencies {
  vidio: VidioClient;
  reader: SourceReader;
}

/** Builds the VIDIO steps' clients from the Lambda environment (the secret, the base URL). */
export async function vidioDependenciesFromEnvironment(): Promise<VidioDependencies> {
  const { apiKey } = await providerApiKey("vidio");
  return {
    vidio: new VidioClient({
      baseUrl: envOr("VIDIO_BASE_URL", VIDIO_BASE_URL),
      apiKey,
      paths: vidioPathsFromEnvironment(),
      fetch: measuredFetch("vidio"),
    }),
    reader: sourceReader(new S3Client({})),
  };
}
