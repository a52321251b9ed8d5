import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STAGES } from "../../functions/pipeline/stages";
import { PROVIDER_DESCRIPTORS } from "../../functions/providers/registry";

/** The README's provider table: one row of cells per provider, keyed by the header's stage names. */
function readmeProviderTable(): Map<string, Record<string, string>> {
  const lines = readFileSync("README.md", "utf8").split("\n");
  const headerAt = lines.findIndex((line) => /^\| provider\s+\| upload\s+\|/.test(line));
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = cells(lines[headerAt] ?? "");
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.startsWith("|")) break;
    const [name, ...stages] = cells(line);
    rows.set(name ?? "", Object.fromEntries(stages.map((cell, index) => [header[index + 1], cell])));
  }
  return rows;
}

describe("the README's provider table", () => {
  it("lists every registered provider, with a cell for exactly the stages its plan has", () => {
    // Prepare
    const table = readmeProviderTable();

    // Act
    const described = PROVIDER_DESCRIPTORS.map((descriptor) => {
      const row = table.get(descriptor.displayName) ?? {};
      return {
        provider: descriptor.displayName,
        stages: STAGES.filter((stage) => row[stage] !== undefined && row[stage] !== "—"),
      };
    });

    // Assess
    expect([...table.keys()].sort()).toEqual(PROVIDER_DESCRIPTORS.map((d) => d.displayName).sort());
    expect(described).toEqual(
      PROVIDER_DESCRIPTORS.map((descriptor) => ({
        provider: descriptor.displayName,
        stages: STAGES.filter((stage) => stage in descriptor.plan),
      })),
    );
  });
});
