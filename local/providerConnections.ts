import { vidioPathsFromEnvironment } from "../functions/handlers/vidio/vidioPathsFromEnvironment";
import type { Provider } from "../functions/pipeline/jobSpec";
import { ApiVideoClient } from "../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../functions/providers/apivideo/ApiVideoSimulator";
import { rememberSecrets } from "../functions/providers/core/redactRecord";
import { VideoDevClient } from "../functions/providers/videodev/VideoDevClient";
import { VideoDevSimulator } from "../functions/providers/videodev/VideoDevSimulator";
import { VidioClient } from "../functions/providers/vidio/VidioClient";
import { VidioSimulator } from "../functions/providers/vidio/VidioSimulator";
import { VidoriClient } from "../functions/providers/vidori/VidoriClient";
import { VidoriSimulator } from "../functions/providers/vidori/VidoriSimulator";
import { ViostreamClient } from "../functions/providers/viostream/ViostreamClient";
import { ViostreamSimulator } from "../functions/providers/viostream/ViostreamSimulator";

/** The simulators a local stack started, by provider, for tests and the CLI's fault switches. */
export interface Simulators {
  apivideo?: ApiVideoSimulator;
  videodev?: VideoDevSimulator;
  vidio?: VidioSimulator;
  vidori?: VidoriSimulator;
  viostream?: ViostreamSimulator;
}

/** The clients of every provider, as the local handlers get them. */
export interface ProviderClients {
  apivideo: ApiVideoClient;
  videodev: VideoDevClient;
  vidio: VidioClient;
  vidori: VidoriClient;
  viostream: ViostreamClient;
}

/** Which endpoint a local run talks to. */
export interface ProviderEndpoint {
  provider: Provider;
  baseUrl: string;
  simulated: boolean;
}

interface Connection<P extends Provider> {
  client: ProviderClients[P];
  endpoint: ProviderEndpoint;
  simulator?: NonNullable<Simulators[P]>;
}

type Connector<P extends Provider> = (env: NodeJS.ProcessEnv, processingMs: number) => Promise<Connection<P>>;

/**
 * Each provider's real client when its keys are in the environment, else its simulator on 127.0.0.1.
 * Real base URLs default to the providers' documented ones (api.video: its sandbox).
 */
const CONNECTORS: { [P in Provider]: Connector<P> } = {
  apivideo: async (env, processingMs) => {
    if (env.APIVIDEO_API_KEY) {
      const baseUrl = env.APIVIDEO_BASE_URL ?? "https://sandbox.api.video";
      return real("apivideo", baseUrl, new ApiVideoClient({ baseUrl, apiKey: env.APIVIDEO_API_KEY }));
    }
    const simulator = new ApiVideoSimulator({ processingMs });
    const baseUrl = await simulator.start();
    return simulated(
      "apivideo",
      baseUrl,
      new ApiVideoClient({ baseUrl, apiKey: simulator.apiKey }),
      simulator,
    );
  },
  videodev: async (env, processingMs) => {
    if (env.VIDEODEV_API_KEY) {
      const baseUrl = env.VIDEODEV_BASE_URL ?? "https://api.video.dev/v1";
      return real("videodev", baseUrl, new VideoDevClient({ baseUrl, apiKey: env.VIDEODEV_API_KEY }));
    }
    const simulator = new VideoDevSimulator({ processingMs });
    const baseUrl = await simulator.start();
    return simulated(
      "videodev",
      baseUrl,
      new VideoDevClient({ baseUrl, apiKey: simulator.apiKey }),
      simulator,
    );
  },
  vidio: async (env, processingMs) => {
    if (env.VIDIO_API_KEY) {
      const baseUrl = env.VIDIO_BASE_URL ?? "https://api.vidio.ai/v1";
      const paths = vidioPathsFromEnvironment(env);
      return real("vidio", baseUrl, new VidioClient({ baseUrl, apiKey: env.VIDIO_API_KEY, paths }));
    }
    const simulator = new VidioSimulator({ processingMs });
    const baseUrl = await simulator.start();
    return simulated("vidio", baseUrl, new VidioClient({ baseUrl, apiKey: simulator.apiKey }), simulator);
  },
  vidori: async (env) => {
    if (env.VIDORI_API_KEY) {
      const baseUrl = env.VIDORI_BASE_URL ?? "https://app.vidori.co/api/v1";
      return real("vidori", baseUrl, new VidoriClient({ baseUrl, apiKey: env.VIDORI_API_KEY }));
    }
    const simulator = new VidoriSimulator();
    const baseUrl = await simulator.start();
    return simulated("vidori", baseUrl, new VidoriClient({ baseUrl, apiKey: simulator.apiKey }), simulator);
  },
  viostream: async (env, processingMs) => {
    if (env.VIOSTREAM_API_KEY && env.VIOSTREAM_ACCESS_KEY) {
      const baseUrl = env.VIOSTREAM_BASE_URL ?? "https://api.app.viostream.com/v3/api";
      const credentials = { accessKey: env.VIOSTREAM_ACCESS_KEY, apiKey: env.VIOSTREAM_API_KEY };
      return real("viostream", baseUrl, new ViostreamClient({ baseUrl, credentials }));
    }
    const simulator = new ViostreamSimulator({ processingMs });
    const baseUrl = await simulator.start();
    return simulated(
      "viostream",
      baseUrl,
      new ViostreamClient({ baseUrl, credentials: simulator.credentials }),
      simulator,
    );
  },
};

function real<P extends Provider>(provider: P, baseUrl: string, client: ProviderClients[P]): Connection<P> {
  return { client, endpoint: { provider, baseUrl, simulated: false } };
}

function simulated<P extends Provider>(
  provider: P,
  baseUrl: string,
  client: ProviderClients[P],
  simulator: NonNullable<Simulators[P]>,
): Connection<P> {
  return { client, endpoint: { provider, baseUrl, simulated: true }, simulator };
}

/** Connects to every provider; on any failure, stops the simulators already started. */
export async function connectProviders(
  env: NodeJS.ProcessEnv,
  processingMs: number,
): Promise<{ clients: ProviderClients; endpoints: ProviderEndpoint[]; simulators: Simulators }> {
  const clients: Partial<ProviderClients> = {};
  const endpoints: ProviderEndpoint[] = [];
  const simulators: Simulators = {};
  try {
    for (const provider of Object.keys(CONNECTORS) as Provider[]) {
      const connection = await (CONNECTORS[provider] as Connector<Provider>)(env, processingMs);
      (clients as Record<Provider, unknown>)[provider] = connection.client;
      (simulators as Record<Provider, unknown>)[provider] = connection.simulator;
      rememberKeys(provider, env, connection.simulator);
      endpoints.push(connection.endpoint);
    }
  } catch (error) {
    await stopSimulators(simulators);
    throw error;
  }
  return { clients: clients as ProviderClients, endpoints, simulators };
}

/**
 * Remembers the keys a local run uses, as `providerApiKey` does on AWS, so its records and log lines hide
 * them too: a simulator's key is a test key, but the same code path carries a real one.
 */
function rememberKeys(provider: Provider, env: NodeJS.ProcessEnv, simulator: unknown): void {
  const prefix = provider.toUpperCase();
  const simulated = simulator as { apiKey?: string; credentials?: Record<string, string> } | undefined;
  rememberSecrets(
    env[`${prefix}_API_KEY`],
    env[`${prefix}_ACCESS_KEY`],
    simulated?.apiKey,
    ...Object.values(simulated?.credentials ?? {}),
  );
}

/** Stops every simulator that was started. */
export async function stopSimulators(simulators: Simulators): Promise<void> {
  await Promise.allSettled(Object.values(simulators).map((simulator) => simulator?.stop()));
}
