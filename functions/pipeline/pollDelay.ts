/** Seconds before the next poll: doubling from `initialSeconds`, capped, so long jobs cost few transitions. */
export function pollDelaySeconds(poll: number, initialSeconds = 5, maxSeconds = 60): number {
  const exponent = Math.max(0, poll - 1);
  return Math.min(maxSeconds, initialSeconds * 2 ** Math.min(exponent, 16));
}
