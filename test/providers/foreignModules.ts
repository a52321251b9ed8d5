import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { descriptorOf, PROVIDER_NAMES, PROVIDERS, type Provider } from "../../functions/providers/registry";

/**
 * The modules of other providers in a bundle of `entry` (one of `provider`'s Lambda entries), built as the
 * CDK app builds it; only each other provider's descriptor and options (data the job spec reads) are allowed.
 */
export async function foreignModules(provider: Provider, entry: string): Promise<string[]> {
  const others = PROVIDERS.filter((each) => each !== provider).map((each) => `functions/providers/${each}/`);
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.keys(metafile.inputs).filter(
    (input) => others.some((folder) => input.startsWith(folder)) && !/\/(provider|options)\.ts$/.test(input),
  );
}

/** One test per Lambda entry of the provider: its bundle carries no other provider's module. */
export function describeBundlesOf(provider: Provider): void {
  const functions = descriptorOf(provider).functions as readonly { id: string; entry: string }[];
  describe(`a ${PROVIDER_NAMES[provider]} Lambda bundle`, () => {
    it.each(functions.map((fn) => [fn.id, fn.entry]))(
      "%s carries no other provider's module",
      async (_id, entry) => {
        // Prepare: the entry, as the CDK app bundles it.

        // Act
        const foreign = await foreignModules(provider, entry);

        // Assess: only each other provider's descriptor and options may be inside.
        expect(foreign).toEqual([]);
      },
      60_000,
    );
  });
}
