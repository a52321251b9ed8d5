import { connectorOf } from "../functions/providers/connectors";
import { providerVariable } from "../functions/providers/core/ProviderDescriptor";
import { descriptorOf, type Provider } from "../functions/providers/registry";
import { realClient } from "../local/providerConnections";
import { UsageError } from "./buildJob";

/**
 * Checks the credentials in the environment against the real provider, where the provider documents a
 * way to (its descriptor's `credentialsCheck`). Prints nothing secret.
 */
export async function checkCredentials(provider: Provider, env: NodeJS.ProcessEnv): Promise<string> {
  const descriptor = descriptorOf(provider);
  const check = connectorOf(provider).checkCredentials;
  if (!check) {
    throw new UsageError(
      `${descriptor.displayName} documents no credentials check; run a job to test its key`,
    );
  }
  const real = realClient(provider, env);
  if (!real) {
    const variables = Object.keys(descriptor.secret).map((field) => providerVariable(provider, field));
    throw new UsageError(`set ${variables.join(" and ")} first`);
  }
  return check(real.client);
}
