import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pipelineWorkflow } from "../../statemachines/build/pipelineWorkflow";
import { PIPELINE_DEFINITION_PATH } from "../../statemachines/pipelineDefinition";
import { workflowProviders } from "../../statemachines/workflowProviders";

function withoutComments(definition: { States: Record<string, { Comment?: string }> }): unknown {
  return {
    ...definition,
    States: Object.fromEntries(
      Object.entries(definition.States).map(([name, { Comment: _comment, ...state }]) => [name, state]),
    ),
  };
}

describe("statemachines/build", () => {
  it("builds the committed pipeline definition, state for state (comments aside)", () => {
    // Prepare
    const file = JSON.parse(readFileSync(PIPELINE_DEFINITION_PATH, "utf8"));

    // Act
    const built = pipelineWorkflow(workflowProviders());

    // Assess: same states in the same order, same fields in the same order.
    expect(JSON.stringify(withoutComments(built as never))).toBe(JSON.stringify(withoutComments(file)));
  });
});
