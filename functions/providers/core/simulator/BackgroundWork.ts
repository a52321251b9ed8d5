/**
 * What a simulator keeps doing after it has answered: reading a source it was sent, settling a job on a
 * timer, delivering a webhook. Stopping ends it (timers cancelled, fetches aborted through `signal`) and
 * waits for what is already under way, so a test never leaves work running behind it.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private controller = new AbortController();

  /** Aborted once the simulator stops: work that fetches passes it on. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the simulator has stopped: work that would start now (a webhook) should not. */
  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Keeps `promise` until it settles; returns it, for callers that wait on it themselves. */
  track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    // A failure belongs to whoever awaits the returned promise; the set only waits for it to settle.
    tracked.catch(() => undefined);
    return tracked;
  }

  /** Runs `work` after `ms` milliseconds, tracked, unless the simulator stops first. */
  after(ms: number, work: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(Promise.resolve().then(work));
    }, ms);
    // A pending timer must not keep a process alive on its own: the server does while it listens.
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves once every piece of work started so far, timers included, has settled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.timers.size > 0) {
      await Promise.allSettled([...this.pending]);
      if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Cancels the timers, aborts `signal` and waits for the work already under way. */
  async stop(): Promise<void> {
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** After a stop, a fresh `signal` for a simulator that is started again. */
  restart(): void {
    if (this.controller.signal.aborted) this.controller = new AbortController();
  }
}
