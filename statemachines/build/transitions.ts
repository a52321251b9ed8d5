import type { State } from "./asl";

/** One way out of a state: its Next, a Choice rule or default, or a Catch (with the errors it catches). */
export interface Transition {
  to: string;
  caught?: string[];
}

/** Every state a state can go to next. */
export function transitionsOf(state: State): Transition[] {
  const out: Transition[] = [];
  if ("Next" in state && state.Next !== undefined) out.push({ to: state.Next });
  if (state.Type === "Choice") {
    for (const rule of state.Choices) out.push({ to: rule.Next });
    out.push({ to: state.Default });
  }
  if (state.Type === "Task")
    for (const catcher of state.Catch ?? []) out.push({ to: catcher.Next, caught: catcher.ErrorEquals });
  return out;
}
