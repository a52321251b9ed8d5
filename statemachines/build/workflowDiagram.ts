import type { Block, State } from "./asl";
import { transitionsOf } from "./transitions";

const LANE = "lane";
const LANE_TITLE = "The lane: the same states for every provider, each stage skipped where the plan lacks it";

interface Edge {
  from: string;
  to: string;
  label: string;
  caught: boolean;
}

function quoted(text: string): string {
  return `"${text.replaceAll('"', "#quot;")}"`;
}

function shapeOf(id: string, label: string, state?: State): string {
  if (state?.Type === "Choice") return `${id}{${quoted(label)}}`;
  if (state?.Type === "Fail") return `${id}([${quoted(label)}])`;
  return `${id}[${quoted(label)}]`;
}

/** A Catch's label: the error it catches, `States.ALL` read as "any error". */
function catchLabel(errors: string[]): string {
  return errors.map((error) => (error === "States.ALL" ? "any error" : error)).join(", ");
}

/** A Pass that turns a cap into a failure is labelled with the error it writes, or its own name. */
function failureLabel(name: string, state: State): string {
  if (state.Type !== "Pass" || !state.ResultPath?.startsWith("$.failure")) return "";
  const error = state.Result?.Error;
  return typeof error === "string" ? error : name;
}

/**
 * Edges between the lane and one outside box that touch several of the lane's stages (every stage's
 * 429 path, the redrive's re-entry) become one edge to or from the lane, so the drawing stays readable.
 */
function collapseLaneEdges(edges: Edge[], inLane: (node: string) => boolean): Edge[] {
  const groups = new Map<string, Edge[]>();
  const kept: Edge[] = [];
  for (const edge of edges) {
    const outward = inLane(edge.from) && !inLane(edge.to);
    const inward = !inLane(edge.from) && inLane(edge.to);
    if (!outward && !inward) {
      kept.push(edge);
      continue;
    }
    const key = `${outward ? `>${edge.to}` : `<${edge.from}`}|${edge.label}|${edge.caught}`;
    groups.set(key, [...(groups.get(key) ?? []), edge]);
  }
  for (const group of groups.values()) {
    const [first] = group as [Edge];
    if (group.length === 1) kept.push(first);
    else if (inLane(first.from)) kept.push({ ...first, from: LANE });
    else kept.push({ ...first, to: LANE });
  }
  return kept;
}

/** Edges of one kind with the same ends become one, carrying the labels of all. */
function mergeEdges(edges: Edge[]): Edge[] {
  const merged = new Map<string, Edge>();
  for (const edge of edges) {
    const key = `${edge.from}>${edge.to}|${edge.caught}`;
    const seen = merged.get(key);
    if (seen === undefined) merged.set(key, { ...edge });
    else {
      const labels = new Set([seen.label, edge.label].filter((label) => label !== ""));
      merged.set(key, { ...seen, label: [...labels].join(" / ") });
    }
  }
  return [...merged.values()];
}

/**
 * A Mermaid flowchart of a workflow drawn block by block: each block one box (the detailed ones state by
 * state), the lane's stages grouped, edges derived from the states' own Next, Choice and Catch targets.
 */
export function workflowDiagram(blocks: readonly Block[]): string {
  const nodeOf = new Map<string, string>();
  const laneNodes = new Set<string>();
  const declarations: string[] = [];
  const laneDeclarations: string[] = [];
  const edges: Edge[] = [];
  blocks.forEach((block, index) => {
    const blockId = `b${index}`;
    Object.entries(block.states).forEach(([name, state], stateIndex) => {
      const id = block.detailed ? `${blockId}s${stateIndex}` : blockId;
      nodeOf.set(name, id);
      if (block.detailed) declarations.push(shapeOf(id, name, state));
    });
    if (block.detailed) return;
    (block.lane ? laneDeclarations : declarations).push(shapeOf(blockId, block.title));
    if (block.lane) laneNodes.add(blockId);
    const states = Object.values(block.states);
    if (states.some((state) => state.Type === "Task" && state.End))
      edges.push({ from: blockId, to: "succeeded", label: "", caught: false });
    if (states.some((state) => state.Type === "Fail"))
      edges.push({ from: blockId, to: "failed", label: "", caught: false });
  });
  for (const block of blocks) {
    for (const [name, state] of Object.entries(block.states)) {
      for (const transition of transitionsOf(state)) {
        const from = nodeOf.get(name) as string;
        const to = nodeOf.get(transition.to);
        if (to === undefined)
          throw new Error(`state "${name}" goes to "${transition.to}", which no block has`);
        if (from === to) continue;
        const caught = transition.caught !== undefined;
        const label = caught ? catchLabel(transition.caught ?? []) : failureLabel(name, state);
        edges.push({ from, to, caught, label });
      }
    }
  }
  const drawn = mergeEdges(collapseLaneEdges(edges, (node) => laneNodes.has(node)));
  return [
    "flowchart TD",
    ...declarations.map((line) => `  ${line}`),
    `  subgraph ${LANE}[${quoted(LANE_TITLE)}]`,
    "    direction TB",
    ...laneDeclarations.map((line) => `    ${line}`),
    "  end",
    `  succeeded([${quoted("succeeded")}])`,
    `  failed([${quoted("failed")}])`,
    ...drawn.map((edge) => {
      const arrow = edge.caught ? "-.->" : "-->";
      return `  ${edge.from} ${arrow}${edge.label === "" ? "" : `|${quoted(edge.label)}|`} ${edge.to}`;
    }),
  ].join("\n");
}
