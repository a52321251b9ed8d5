/** Whether a request's parsed JSON is an object, the only body the providers' create routes take. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
