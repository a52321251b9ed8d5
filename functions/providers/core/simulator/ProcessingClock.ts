/** Where a piece of simulated asynchronous work stands, given when it started and how long it takes. */
export class ProcessingClock {
  constructor(
    /** How long simulated processing takes, in milliseconds; tests use a few, the local demo a few hundred. */
    public processingMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fraction in [0, 1] of the work started at `startedAt`. */
  progress(startedAt: number): number {
    if (this.processingMs <= 0) return 1;
    return Math.min(1, Math.max(0, (this.now() - startedAt) / this.processingMs));
  }

  /** Whether the work started at `startedAt` is finished. */
  done(startedAt: number): boolean {
    return this.progress(startedAt) >= 1;
  }

  /** The current time, for stamping starts. */
  stamp(): number {
    return this.now();
  }
}
