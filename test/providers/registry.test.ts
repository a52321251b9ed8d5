import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../../functions/catalog";
import { providerVariable } from "../../functions/providers/core/ProviderDescriptor";
import { PROVIDER_DESCRIPTORS, PROVIDERS, planOf } from "../../functions/providers/registry";
import { PIPELINE_DEFINITION_PATH } from "../../statemachines/pipelineDefinition";

describe("the provider registry", () => {
  it("names every function of a plan or a webhook wait among the provider's own functions", () => {
    for (const descriptor of PROVIDER_DESCRIPTORS) {
      // Prepare: the function ids the provider declares.
      const declared = descriptor.functions.map((fn) => fn.id);

      // Act: the ids its plan (stages and webhook waits) names.
      const planned = Object.values(planOf(descriptor.id));

      // Assess
      expect(
        declared.filter((id) => !planned.includes(id)),
        descriptor.id,
      ).toEqual([]);
      expect(
        planned.filter((id) => !declared.includes(id as never)),
        descriptor.id,
      ).toEqual([]);
    }
  });

  it("gives every function one id across providers", () => {
    // Act
    const ids = PIPELINE_FUNCTIONS.map((fn) => fn.id);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("plans each provider's stages as the workflow's Plan state does", () => {
    // Prepare
    const states = (
      JSON.parse(readFileSync(PIPELINE_DEFINITION_PATH, "utf8")) as {
        States: Record<string, { Parameters?: { plan?: Record<string, string> } }>;
      }
    ).States;

    for (const descriptor of PROVIDER_DESCRIPTORS) {
      // Act
      const expected = Object.fromEntries(
        Object.entries(planOf(descriptor.id)).map(([stage, id]) => [stage, `\${${arnPlaceholder(id)}}`]),
      );

      // Assess
      expect(states[`Plan ${descriptor.displayName}`]?.Parameters?.plan, descriptor.id).toEqual(expected);
    }
  });

  it("names each provider's environment variables in one way", () => {
    // Act
    const names = PROVIDERS.map((provider) => providerVariable(provider, "apiKey"));

    // Assess
    expect(names).toEqual([
      "APIVIDEO_API_KEY",
      "VIDEODEV_API_KEY",
      "VIDIO_API_KEY",
      "VIDORI_API_KEY",
      "VIOSTREAM_API_KEY",
    ]);
    expect(providerVariable("viostream", "accessKey")).toBe("VIOSTREAM_ACCESS_KEY");
    expect(providerVariable("viostream", "secretArn")).toBe("VIOSTREAM_SECRET_ARN");
  });
});
