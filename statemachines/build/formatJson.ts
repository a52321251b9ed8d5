/** The project's line width (biome.json): the generated file must pass `npm run lint` as written. */
const LINE_WIDTH = 110;
const INDENT = "  ";

/**
 * JSON laid out the way Biome formats our definition files, so a generated file passes `biome check`
 * untouched: objects always one key per line, an array of plain values on one line when that line fits.
 * (Biome keeps an object expanded when its source is, and `JSON.stringify` expands them all.)
 */
export function formatJson(value: unknown): string {
  return `${formatValue(value, 0, 0, 0)}\n`;
}

/** `before`: columns used on the line before the value; `after`: characters that follow it (a comma). */
function formatValue(value: unknown, depth: number, before: number, after: number): string {
  if (Array.isArray(value)) return formatArray(value, depth, before, after);
  if (value !== null && typeof value === "object") return formatObject(value as object, depth);
  return JSON.stringify(value);
}

function formatArray(items: unknown[], depth: number, before: number, after: number): string {
  if (items.length === 0) return "[]";
  const plain = items.every((item) => item === null || typeof item !== "object");
  const oneLine = `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  if (plain && before + oneLine.length + after <= LINE_WIDTH) return oneLine;
  const inner = INDENT.repeat(depth + 1);
  const lines = items.map(
    (item, index) =>
      `${inner}${formatValue(item, depth + 1, inner.length, index < items.length - 1 ? 1 : 0)}`,
  );
  return `[\n${lines.join(",\n")}\n${INDENT.repeat(depth)}]`;
}

function formatObject(object: object, depth: number): string {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return "{}";
  const inner = INDENT.repeat(depth + 1);
  const lines = entries.map(([key, value], index) => {
    const prefix = `${inner}${JSON.stringify(key)}: `;
    const comma = index < entries.length - 1 ? 1 : 0;
    return `${prefix}${formatValue(value, depth + 1, prefix.length, comma)}`;
  });
  return `{\n${lines.join(",\n")}\n${INDENT.repeat(depth)}}`;
}
