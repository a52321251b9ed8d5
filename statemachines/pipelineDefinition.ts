import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The one workflow definition, deployed by CDK and run by the local runtime and the tests. */
export const PIPELINE_DEFINITION_PATH = fileURLToPath(new URL("./pipeline.asl.json", import.meta.url));

/**
 * The placeholder that switches webhook waits on ("true") or off ("false"): on only where the providers
 * can reach a public webhook URL; otherwise every wait polls.
 */
export const WEBHOOKS_ENABLED_PLACEHOLDER = "WebhooksEnabled";

/** The `${Name}` placeholders the definition expects to be substituted. */
export function definitionPlaceholders(
  text: string = readFileSync(PIPELINE_DEFINITION_PATH, "utf8"),
): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1] as string))].sort();
}

/** The definition with its placeholders substituted, as Step Functions does with DefinitionSubstitutions. */
export function loadPipelineDefinition(substitutions: Record<string, string>): Record<string, unknown> {
  return loadDefinition(PIPELINE_DEFINITION_PATH, substitutions);
}

/** Any definition file of `statemachines/`, its placeholders substituted; a missing substitution is an error. */
export function loadDefinition(path: string, substitutions: Record<string, string>): Record<string, unknown> {
  const text = readFileSync(path, "utf8");
  const missing = definitionPlaceholders(text).filter((name) => substitutions[name] === undefined);
  if (missing.length > 0) throw new Error(`no substitution for ${missing.join(", ")}`);
  return JSON.parse(
    text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_match, name: string) => substitutions[name] as string),
  );
}

interface RouteChoice {
  Next: string;
  And?: { StringEquals?: string }[];
}

/**
 * The definition for a pipeline that deploys only some providers: each other provider's plan becomes a Fail
 * state naming it, so its functions are not needed and a job for it fails with a clear reason. With every
 * provider it is the file, unchanged.
 */
export function pipelineDefinitionFor(providers: readonly string[], all: readonly string[]): string {
  const text = readFileSync(PIPELINE_DEFINITION_PATH, "utf8");
  if (all.every((provider) => providers.includes(provider))) return text;
  const definition = JSON.parse(text) as { States: Record<string, { Choices?: RouteChoice[] }> };
  for (const choice of definition.States["Route by provider"]?.Choices ?? []) {
    const provider = choice.And?.find((condition) => condition.StringEquals)?.StringEquals;
    if (provider === undefined || providers.includes(provider)) continue;
    definition.States[choice.Next] = {
      Type: "Fail",
      Error: "ProviderNotDeployedError",
      Cause: `this pipeline was deployed without ${provider}; deployed: ${providers.join(", ")}`,
    } as never;
  }
  return `${JSON.stringify(definition, null, 2)}\n`;
}
