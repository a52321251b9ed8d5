/** A missing setting: the deployment is wrong, not the input, so the message names the variable. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** Reads a required environment variable, failing loudly with its name when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "")
    throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** Reads an optional environment variable, with a default. */
export function envOr(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}
