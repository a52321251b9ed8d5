import { S3Client } from "@aws-sdk/client-s3";
import { VideoDevClient } from "../../providers/videodev/VideoDevClient";
import { envOr } from "../core/environment";
import { providerApiKey } from "../core/providerApiKey";

/** What every video.dev step needs. */
export interface VideoDevDependencies {
  videoDev: VideoDevClient;
  s3: S3Client;
}

/** Builds the video.dev steps' clients from the Lambda environment (the secret, the base URL). */
export async function videoDevDependenciesFromEnvironment(): Promise<VideoDevDependencies> {
  const { apiKey } = await providerApiKey("videodev");
  return {
    videoDev: new VideoDevClient({ baseUrl: envOr("VIDEODEV_BASE_URL", "https://api.video.dev/v1"), apiKey }),
    s3: new S3Client({}),
  };
}
