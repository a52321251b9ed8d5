import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { z } from "zod";
import { rememberSecrets } from "../../providers/core/redactRecord";
import { ConfigurationError } from "./environment";

const SecretValue = z.object({ apiKey: z.string().min(1) }).loose();

/** Secrets rotate rarely; five minutes keeps a rotation visible without a Secrets Manager call per step. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A provider's credentials: on AWS from the Secrets Manager secret named by `<PROVIDER>_SECRET_ARN`
 * (JSON `{"apiKey": ..., "accessKey"?: ...}`, fetched once and cached), locally from `<PROVIDER>_API_KEY`
 * (and `<PROVIDER>_ACCESS_KEY`).
 */
export async function providerApiKey(provider: string): Promise<Record<string, string> & { apiKey: string }> {
  const prefix = provider.toUpperCase();
  const secretArn = process.env[`${prefix}_SECRET_ARN`];
  if (secretArn) return remembered(await readJsonSecret(secretArn, SecretValue, '{"apiKey": "..."}'));
  const apiKey = process.env[`${prefix}_API_KEY`];
  // Viostream signs in with an access key as well as the API key.
  const accessKey = process.env[`${prefix}_ACCESS_KEY`];
  if (apiKey) return remembered({ apiKey, ...(accessKey ? { accessKey } : {}) });
  throw new ConfigurationError(
    `no credentials for ${provider}: set ${prefix}_SECRET_ARN or ${prefix}_API_KEY`,
  );
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
