import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { z } from "zod";
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
  if (secretArn) {
    const raw = await getSecret(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
    const parsed = SecretValue.safeParse(typeof raw === "string" ? safeJson(raw) : undefined);
    if (!parsed.success) {
      // Never echo the secret's content: only say what shape was expected.
      throw new ConfigurationError(`secret ${secretArn} must hold JSON like {"apiKey": "..."}`);
    }
    return parsed.data as Record<string, string> & { apiKey: string };
  }
  const apiKey = process.env[`${prefix}_API_KEY`];
  // Viostream signs in with an access key as well as the API key.
  const accessKey = process.env[`${prefix}_ACCESS_KEY`];
  if (apiKey) return { apiKey, ...(accessKey ? { accessKey } : {}) };
  throw new ConfigurationError(
    `no credentials for ${provider}: set ${prefix}_SECRET_ARN or ${prefix}_API_KEY`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
