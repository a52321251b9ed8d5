import { PROVIDER_NAMES, type Provider } from "../functions/pipeline/jobSpec";
import { ApiVideoClient } from "../functions/providers/apivideo/ApiVideoClient";
import { ViostreamClient } from "../functions/providers/viostream/ViostreamClient";
import { UsageError } from "./buildJob";

/**
 * Checks the credentials in the environment against the real provider, where the provider documents a
 * way to: Viostream's account/info, api.video's key-for-token exchange. Prints nothing secret.
 */
export async function checkCredentials(provider: Provider, env: NodeJS.ProcessEnv): Promise<string> {
  if (provider === "viostream") {
    const accessKey = env.VIOSTREAM_ACCESS_KEY;
    const apiKey = env.VIOSTREAM_API_KEY;
    if (!accessKey || !apiKey)
      throw new UsageError("set VIOSTREAM_ACCESS_KEY (VC-...) and VIOSTREAM_API_KEY first");
    const client = new ViostreamClient({
      baseUrl: env.VIOSTREAM_BASE_URL ?? "https://api.app.viostream.com/v3/api",
      credentials: { accessKey, apiKey },
    });
    const account = await client.accountInfo();
    return `Viostream accepted the credentials (account ${JSON.stringify(account).slice(0, 120)})`;
  }
  if (provider === "apivideo") {
    const apiKey = env.APIVIDEO_API_KEY;
    if (!apiKey) throw new UsageError("set APIVIDEO_API_KEY first");
    const client = new ApiVideoClient({
      baseUrl: env.APIVIDEO_BASE_URL ?? "https://sandbox.api.video",
      apiKey,
    });
    await client.findVideoByJobId("vidstep-credentials-check");
    return "api.video accepted the key";
  }
  throw new UsageError(
    `${PROVIDER_NAMES[provider]} documents no credentials check; run a job to test its key`,
  );
}
