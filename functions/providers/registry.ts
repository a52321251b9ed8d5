/**
 * The ONE list of providers. Every per-provider list of the project is derived from it: the job spec's
 * variants, the function catalog, the secrets, the local connectors and handlers, the CLI's choices, the
 * webhook receiver's dispatch. Adding a provider is a folder under `functions/providers/` and a line here.
 *
 * It lists descriptors only (data, and each provider's options schema): every Lambda reads it through the
 * job spec, so it must carry no client, simulator or step of any provider.
 */
import { apiVideoProvider } from "./apivideo/provider";
import type { ProviderDescriptor, ProviderFunction, WaitStage } from "./core/ProviderDescriptor";
import { videoDevProvider } from "./videodev/provider";
import { vidioProvider } from "./vidio/provider";
import { vidoriProvider } from "./vidori/provider";
import { viostreamProvider } from "./viostream/provider";

/** Every provider, in the order runs and listings show them. */
export const PROVIDER_DESCRIPTORS = [
  apiVideoProvider,
  videoDevProvider,
  vidioProvider,
  vidoriProvider,
  viostreamProvider,
] as const satisfies readonly ProviderDescriptor[];

type Descriptors = (typeof PROVIDER_DESCRIPTORS)[number];

/** The ids of a tuple of descriptors, as a tuple (a mapped type keeps tuples only over a type parameter). */
type IdsOf<T extends readonly ProviderDescriptor[]> = { readonly [I in keyof T]: T[I]["id"] };

/** The providers this pipeline can run a job through. */
export const PROVIDERS = PROVIDER_DESCRIPTORS.map((descriptor) => descriptor.id) as unknown as IdsOf<
  typeof PROVIDER_DESCRIPTORS
>;
export type Provider = Descriptors["id"];

/** One provider's descriptor, with its literal types. */
export type DescriptorOf<P extends Provider> = Extract<Descriptors, { id: P }>;

/** The id of any provider's Lambda function. */
export type ProviderFunctionId = Descriptors["functions"][number]["id"];

/** The descriptor of a provider. */
export function descriptorOf<P extends Provider>(provider: P): DescriptorOf<P> {
  return PROVIDER_DESCRIPTORS.find((descriptor) => descriptor.id === provider) as DescriptorOf<P>;
}

/** A value per provider, computed from its descriptor. */
export function perProvider<T>(value: (descriptor: Descriptors) => T): Record<Provider, T> {
  return Object.fromEntries(PROVIDER_DESCRIPTORS.map((d) => [d.id, value(d)])) as Record<Provider, T>;
}

/** How each provider writes its own name, for people reading output and consoles. */
export const PROVIDER_NAMES: Record<Provider, string> = perProvider((d) => d.displayName);

/** How many sources one job may carry: VIDIO's documented 400 inputs; Vidori batches; one elsewhere. */
export const MAX_SOURCES: Record<Provider, number> = perProvider((d) => d.maxSources);

/** The providers whose waits can end by webhook, as the `/webhooks/{provider}` route names them. */
export type WebhookProvider = Extract<Descriptors, { webhook: object }>["id"];
export const WEBHOOK_PROVIDERS = PROVIDER_DESCRIPTORS.filter((d) => "webhook" in d).map(
  (d) => d.id,
) as WebhookProvider[];

/** Whether a string names a provider. */
export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** A provider's Lambda function, as the catalog lists it: `provider` is set when it reads the provider's secret. */
export type CatalogedProviderFunction = ProviderFunction & { id: ProviderFunctionId; provider?: Provider };

/** Every provider's functions, each once, in the registry's order. */
export const PROVIDER_FUNCTIONS: readonly CatalogedProviderFunction[] = PROVIDER_DESCRIPTORS.flatMap((d) =>
  d.functions.map((fn) => ({ ...fn, ...("usesCredentials" in fn ? {} : { provider: d.id }) })),
);

/**
 * The functions of each stage of a provider, as its plan in the workflow names them: `<stage>` for the step,
 * `<stage>Callback` for the webhook wait of a wait stage.
 */
export function planOf(provider: Provider): Record<string, ProviderFunctionId> {
  const descriptor: ProviderDescriptor = descriptorOf(provider);
  const callbacks = Object.entries(descriptor.webhook?.stages ?? {}).map(
    ([stage, fn]) => [`${stage as WaitStage}Callback`, fn] as const,
  );
  return Object.fromEntries([...Object.entries(descriptor.plan), ...callbacks]) as Record<
    string,
    ProviderFunctionId
  >;
}
