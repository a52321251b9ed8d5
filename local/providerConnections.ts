import { type ClientOf, connectorOf, type SimulatorOf } from "../functions/providers/connectors";
import { providerVariable } from "../functions/providers/core/ProviderDescriptor";
import { rememberSecrets } from "../functions/providers/core/redactRecord";
import { descriptorOf, PROVIDER_DESCRIPTORS, type Provider } from "../functions/providers/registry";

/** The simulators a local stack started, by provider, for tests and the CLI's fault switches. */
export type Simulators = { [P in Provider]?: SimulatorOf<P> };

/** The clients of every provider, as the local handlers get them. */
export type ProviderClients = { [P in Provider]: ClientOf<P> };

/** Which endpoint a local run talks to. */
export interface ProviderEndpoint {
  provider: Provider;
  baseUrl: string;
  simulated: boolean;
}

interface Connection {
  client: unknown;
  endpoint: ProviderEndpoint;
  simulator?: SimulatorOf<Provider>;
}

/**
 * A provider's real client when every field of its secret is in the environment (`<PROVIDER>_API_KEY`...),
 * at `<PROVIDER>_BASE_URL` or the descriptor's base URL (api.video: its sandbox); else undefined.
 */
export function realClient(provider: Provider, env: NodeJS.ProcessEnv): RealClient | undefined {
  const descriptor = descriptorOf(provider);
  const fields = Object.keys(descriptor.secret);
  const credentials: Record<string, string> = {};
  for (const field of fields) {
    const value = env[providerVariable(provider, field)];
    if (!value) return undefined;
    credentials[field] = value;
  }
  const fallback = "localBaseUrl" in descriptor ? descriptor.localBaseUrl : descriptor.baseUrl;
  const baseUrl = env[providerVariable(provider, "baseUrl")] ?? fallback;
  rememberSecrets(...Object.values(credentials));
  return { client: connectorOf(provider).createClient({ baseUrl, credentials, env }), baseUrl };
}

/** A client of a real provider, and where it goes. */
export interface RealClient {
  client: unknown;
  baseUrl: string;
}

/** The real provider when its keys are in the environment, else its simulator on 127.0.0.1. */
async function connect(
  provider: Provider,
  env: NodeJS.ProcessEnv,
  processingMs: number,
): Promise<Connection> {
  const real = realClient(provider, env);
  if (real) return { client: real.client, endpoint: { provider, baseUrl: real.baseUrl, simulated: false } };
  const connector = connectorOf(provider);
  const started = await connector.startSimulator({ processingMs });
  // A simulator's key is a test key, but the same code path carries a real one: hidden from records too.
  rememberSecrets(...Object.values(started.credentials));
  const client = connector.createClient({ baseUrl: started.baseUrl, credentials: started.credentials, env });
  return {
    client,
    endpoint: { provider, baseUrl: started.baseUrl, simulated: true },
    simulator: started.simulator as SimulatorOf<Provider>,
  };
}

/** Connects to every provider; on any failure, stops the simulators already started. */
export async function connectProviders(
  env: NodeJS.ProcessEnv,
  processingMs: number,
): Promise<{ clients: ProviderClients; endpoints: ProviderEndpoint[]; simulators: Simulators }> {
  const clients: Partial<Record<Provider, unknown>> = {};
  const endpoints: ProviderEndpoint[] = [];
  const simulators: Partial<Record<Provider, unknown>> = {};
  try {
    for (const descriptor of PROVIDER_DESCRIPTORS) {
      const connection = await connect(descriptor.id, env, processingMs);
      clients[descriptor.id] = connection.client;
      if (connection.simulator) simulators[descriptor.id] = connection.simulator;
      endpoints.push(connection.endpoint);
    }
  } catch (error) {
    await stopSimulators(simulators as Simulators);
    throw error;
  }
  return { clients: clients as ProviderClients, endpoints, simulators: simulators as Simulators };
}

/** Stops every simulator that was started. */
export async function stopSimulators(simulators: Simulators): Promise<void> {
  await Promise.allSettled(Object.values(simulators).map((simulator) => simulator?.stop()));
}
