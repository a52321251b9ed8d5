/**
 * Each provider's connector (client, simulator, local steps), keyed by the registry's ids: the compiler
 * refuses a provider of the registry without one. It imports every provider's code, so only the local
 * runtime, the CLI and tests import it; Lambda bundles read the registry alone.
 */
import { apiVideoConnector } from "./apivideo/connector";
import type { ProviderConnector } from "./core/ProviderConnector";
import type { SimulatedProvider } from "./core/simulator/SimulatedProvider";
import type { Provider } from "./registry";
import { videoDevConnector } from "./videodev/connector";
import { vidioConnector } from "./vidio/connector";
import { vidoriConnector } from "./vidori/connector";
import { viostreamConnector } from "./viostream/connector";

export const CONNECTORS = {
  apivideo: apiVideoConnector,
  videodev: videoDevConnector,
  vidio: vidioConnector,
  vidori: vidoriConnector,
  viostream: viostreamConnector,
} as const satisfies { [P in Provider]: ProviderConnector<unknown, SimulatedProvider, unknown> };

type Connectors = typeof CONNECTORS;

/** A provider's client type. */
export type ClientOf<P extends Provider> = ReturnType<Connectors[P]["createClient"]>;
/** A provider's simulator type. */
export type SimulatorOf<P extends Provider> = Awaited<
  ReturnType<Connectors[P]["startSimulator"]>
>["simulator"];
/** What a provider's steps need. */
export type DependenciesOf<P extends Provider> = ReturnType<Connectors[P]["localDependencies"]>;

/** A provider's connector, with the types erased: for code that treats every provider alike. */
export function connectorOf(provider: Provider): ProviderConnector<unknown, SimulatedProvider, unknown> {
  return CONNECTORS[provider] as unknown as ProviderConnector<unknown, SimulatedProvider, unknown>;
}
