/**
 * Names that reach an object's prototype when used as a key on a plain object (`a["__proto__"] = …`).
 * Input never needs them, so they are refused wherever untrusted text names a key: JSON members, CSV headers.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Why a reserved key is refused, as a field problem says it. */
export const RESERVED_KEY_PROBLEM =
  "is a reserved name (__proto__, constructor and prototype reach an object's prototype): remove or rename it";
