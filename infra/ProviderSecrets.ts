import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { descriptorOf, PROVIDER_NAMES, type Provider } from "../functions/providers/registry";
import { acknowledge } from "./nagAcknowledgements";

/** What to put into a provider's secret: its descriptor's fields, each with a hint of its value. */
function secretShape(provider: Provider): string {
  const fields = Object.entries(descriptorOf(provider).secret).map(
    ([field, hint]) => `"${field}": "${hint}"`,
  );
  return `{${fields.join(", ")}}`;
}

/** A secret to use instead of creating one: the secret itself, its full ARN, or its name. */
export type ExistingSecret = ISecret | string;

export interface ProviderSecretsProps {
  providers: readonly Provider[];
  existing?: Partial<Record<Provider, ExistingSecret>>;
}

/**
 * One Secrets Manager secret per provider: created empty (its description says what JSON to put in), or an
 * existing one referenced by ARN or name. Values never pass through the template.
 */
export class ProviderSecrets extends Construct {
  private readonly secrets = new Map<Provider, ISecret>();

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);
    for (const provider of props.providers) {
      const existing = props.existing?.[provider];
      const name = PROVIDER_NAMES[provider].replace(/\W/g, "");
      this.secrets.set(
        provider,
        existing === undefined
          ? this.createSecret(provider, name)
          : typeof existing === "string"
            ? existing.startsWith("arn:")
              ? Secret.fromSecretCompleteArn(this, name, existing)
              : Secret.fromSecretNameV2(this, name, existing)
            : existing,
      );
    }
  }

  private createSecret(provider: Provider, name: string): Secret {
    const secret = new Secret(this, name, {
      description: `${PROVIDER_NAMES[provider]} credentials for vidstep: set to ${secretShape(provider)}`,
    });
    acknowledge(
      secret,
      "AwsSolutions-SMG4",
      "Third-party API keys are issued in the provider's dashboard; a rotation Lambda cannot mint new ones. Rotate there, then update the secret.",
    );
    return secret;
  }

  /** The secret of a deployed provider. */
  secretFor(provider: Provider): ISecret {
    const secret = this.secrets.get(provider);
    if (!secret) throw new Error(`${provider} is not one of this pipeline's providers`);
    return secret;
  }
}
