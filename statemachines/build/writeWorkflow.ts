/**
 * `npm run build:asl`: writes `statemachines/pipeline.asl.json` and `docs/workflow.md` from the builder.
 * Both are committed: CDK deploys the JSON file and the local runtime runs it, as they always did.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { workflowFiles } from "./workflowFiles";

for (const { path, text } of workflowFiles()) {
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  const name = relative(process.cwd(), path);
  if (current === text) {
    console.log(`${name}: unchanged`);
    continue;
  }
  writeFileSync(path, text);
  console.log(`${name}: written`);
}
