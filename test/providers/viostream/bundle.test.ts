import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../../functions/providers/registry";
import { viostreamProvider } from "../../../functions/providers/viostream/provider";

describe("a Viostream Lambda bundle", () => {
  it.each(viostreamProvider.functions.map((fn) => [fn.id, fn.entry]))(
    "%s carries no other provider's module",
    async (_id, entry) => {
      // Prepare: the folders of the other providers.
      const others = PROVIDERS.filter((provider) => provider !== "viostream").map(
        (provider) => `functions/providers/${provider}/`,
      );

      // Act: bundle the entry as the CDK app does, keeping only the list of inputs.
      const { metafile } = await build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "cjs",
        write: false,
        metafile: true,
        logLevel: "silent",
      });

      // Assess: only each other provider's descriptor and options (data the job spec reads) may be inside.
      const foreign = Object.keys(metafile.inputs).filter(
        (input) =>
          others.some((folder) => input.startsWith(folder)) && !/\/(provider|options)\.ts$/.test(input),
      );
      expect(foreign).toEqual([]);
    },
    60_000,
  );
});
