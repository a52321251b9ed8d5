import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { z } from "zod";
import { providerVariable } from "../../providers/core/ProviderDescriptor";
import { rememberSecrets } from "../../providers/core/redactRecord";
import { ConfigurationError } from "./environment";

/** Secrets rotate rarely; five minutes keeps a rotation visible without a Secrets Manager call per step. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A provider's credentials, every field its descriptor's `secret` names: on AWS from the Secrets Manager
 * secret named by `<PROVIDER>_SECRET_ARN` (JSON, fetched once and cached), locally from one environment
 * variable per field (`apiKey` -> `<PROVIDER>_API_KEY`).
 */
export async function providerCredentials<F extends string>(provider: {
  id: string;
  secret: Readonly<Record<F, string>>;
}): Promise<Record<F, string>> {
  const fields = Object.keys(provider.secret) as F[];
  const secretArn = process.env[providerVariable(provider.id, "secretArn")];
  if (secretArn) {
    const shape = z.object(Object.fromEntries(fields.map((field) => [field, z.string().min(1)]))).loose();
    const example = `{${fields.map((field) => `"${field}": "..."`).join(", ")}}`;
    return remembered((await readJsonSecret(secretArn, shape, example)) as Record<F, string>);
  }
  const variables = fields.map((field) => [field, providerVariable(provider.id, field)] as const);
  const missing = variables.filter(([, variable]) => !process.env[variable]).map(([, variable]) => variable);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `no credentials for ${provider.id}: set ${providerVariable(provider.id, "secretArn")} or ${missing.join(" and ")}`,
    );
  }
  return remembered(
    Object.fromEntries(variables.map(([field, variable]) => [field, process.env[variable]])) as Record<
      F,
      string
    >,
  );
}

/** A provider's API key (a secret `{"apiKey": ...}`), for providers whose descriptor the caller does not hold. */
export function providerApiKey(provider: string): Promise<{ apiKey: string }> {
  return providerCredentials({ id: provider, secret: { apiKey: "" } });
}

/**
 * One field of a JSON secret: on AWS from the secret named by `arnVariable`, locally from `localVariable`.
 * For settings that are not a provider's API key: api.video's webhook secret, the callback signing key.
 */
export async function secretSetting(setting: {
  arnVariable: string;
  field: string;
  localVariable: string;
}): Promise<string> {
  const secretArn = process.env[setting.arnVariable];
  if (secretArn) {
    const shape = z.object({ [setting.field]: z.string().min(1) }).loose();
    const value = await readJsonSecret(secretArn, shape, `{"${setting.field}": "..."}`);
    rememberSecrets(value[setting.field] as string);
    return value[setting.field] as string;
  }
  const local = process.env[setting.localVariable];
  rememberSecrets(local);
  if (local) return local;
  throw new ConfigurationError(`set ${setting.arnVariable} or ${setting.localVariable}`);
}

/** The credentials, remembered so that every later record and log line of this process hides them. */
function remembered<T extends Record<string, string>>(credentials: T): T {
  rememberSecrets(...Object.values(credentials));
  return credentials;
}

async function readJsonSecret<S extends z.ZodType>(
  secretArn: string,
  shape: S,
  example: string,
): Promise<Record<string, string> & z.output<S>> {
  const raw = await getSecret(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
  const parsed = shape.safeParse(typeof raw === "string" ? safeJson(raw) : undefined);
  // Never echo the secret's content: only say what shape was expected.
  if (!parsed.success) throw new ConfigurationError(`secret ${secretArn} must hold JSON like ${example}`);
  return parsed.data as Record<string, string> & z.output<S>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
