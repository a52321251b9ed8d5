import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BATCH_IMPORT_DEFINITION_PATH } from "../../statemachines/batchImportDefinition";
import { formatJson } from "../../statemachines/build/formatJson";
import { pipelineBlocks, pipelineWorkflow } from "../../statemachines/build/pipelineWorkflow";
import { workflowDiagram } from "../../statemachines/build/workflowDiagram";
import { workflowFiles } from "../../statemachines/build/workflowFiles";
import type { WorkflowProvider } from "../../statemachines/build/workflowProvider";
import { workflowProviders } from "../../statemachines/workflowProviders";

const minimalProvider: WorkflowProvider = {
  id: "toy",
  displayName: "Toy",
  stages: { create: { functionId: "VidioCreateReel" }, publish: { functionId: "VidioPublish" } },
};

describe("statemachines/build", () => {
  it.each(workflowFiles().map(({ path, text }) => [relative(process.cwd(), path), path, text]))(
    "wrote the committed %s",
    (name, path, text) => {
      // Act
      const committed = readFileSync(path, "utf8");

      // Assess
      expect(committed === text, `${name} differs from the builder's output: run \`npm run build:asl\``).toBe(
        true,
      );
    },
  );

  it("gives every state a comment", () => {
    // Act
    const states = Object.entries(pipelineWorkflow(workflowProviders()).States);

    // Assess
    for (const [name, state] of states) expect(state.Comment.trim().length, name).toBeGreaterThan(20);
  });

  it("draws a webhook wait only for stages some provider can wait on", () => {
    // Act
    const states = pipelineWorkflow([minimalProvider]).States;

    // Assess: the toy polls nothing and waits on no webhook, so no callback states and no webhook switch.
    expect(Object.keys(states).filter((name) => name.endsWith(" callback"))).toEqual([]);
    expect(JSON.stringify(states)).not.toContain("WebhooksEnabled");
    expect(states["Plan Toy"]).toMatchObject({
      Parameters: {
        plan: {
          create: expect.stringContaining("VidioCreateReelFunctionArn"),
          publish: expect.stringContaining("VidioPublishFunctionArn"),
        },
      },
    });
  });

  it("refuses a provider without the final stage, or listed twice", () => {
    // Prepare
    const noPublish = { ...minimalProvider, stages: { create: { functionId: "VidioCreateReel" } } } as const;

    // Act + Assess
    expect(() => pipelineWorkflow([noPublish])).toThrow(/workflow provider toy: has no publish stage/);
    expect(() => pipelineWorkflow([minimalProvider, minimalProvider])).toThrow(/toy: listed twice/);
  });

  it("draws only edges between declared boxes, and every provider's plan", () => {
    // Prepare
    const providers = workflowProviders();

    // Act
    const lines = workflowDiagram(pipelineBlocks(providers)).split("\n");

    // Assess
    const declared = new Set(
      lines.map((line) => /^\s*(?:subgraph )?(\w+)[[{(]/.exec(line)?.[1]).filter((id) => id !== undefined),
    );
    const edges = lines
      .map((line) => /^\s*(\w+) -\.?->(?:\|"[^"]*"\|)? (\w+)$/.exec(line))
      .filter((m) => m !== null);
    expect(edges.length).toBeGreaterThan(10);
    for (const [line, from, to] of edges) {
      expect(declared.has(from as string), line).toBe(true);
      expect(declared.has(to as string), line).toBe(true);
    }
    for (const provider of providers) expect(lines.join("\n")).toContain(`"Plan ${provider.displayName}"`);
  });

  it("lays JSON out as Biome does, so the generated file passes the linter", () => {
    // Prepare: a file Biome formatted and nobody generated.
    const text = readFileSync(BATCH_IMPORT_DEFINITION_PATH, "utf8");

    // Act
    const formatted = formatJson(JSON.parse(text));

    // Assess
    expect(formatted).toBe(text);
  });
});
