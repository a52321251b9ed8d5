/** A fault to inject into the next matching requests. */
export interface FaultSpec {
  /** How many matching requests get the fault. */
  times: number;
  /** Limit the fault to one route, written `METHOD /pattern` (e.g. `POST /videos/:videoId/source`). */
  route?: string;
  /** Let this many matching requests through first: a fault in the middle of a sequence. */
  after?: number;
}

/** What the simulator does with one request. */
export type FaultDecision =
  | { kind: "none"; latencyMs: number }
  | { kind: "rateLimited"; latencyMs: number; retryAfterSeconds: number }
  | { kind: "unavailable"; latencyMs: number }
  | { kind: "drop"; latencyMs: number }
  | { kind: "malformed"; latencyMs: number };

interface Armed {
  kind: Exclude<FaultDecision["kind"], "none">;
  skip: number;
  left: number;
  route: string | undefined;
  retryAfterSeconds: number;
}

/** The simulators' fault switches: N times 429, N times 5xx, dropped connections, malformed bodies, latency. */
export class FaultSwitches {
  private armed: Armed[] = [];
  private latency = 0;

  /** The next matching requests answer 429 with the provider's Retry-After advice. */
  rateLimit(spec: FaultSpec & { retryAfterSeconds?: number }): this {
    return this.arm("rateLimited", spec, spec.retryAfterSeconds ?? 1);
  }

  /** The next matching requests answer 503 in the provider's error format. */
  unavailable(spec: FaultSpec): this {
    return this.arm("unavailable", spec);
  }

  /** The next matching requests have their connection closed without an answer. */
  dropConnection(spec: FaultSpec): this {
    return this.arm("drop", spec);
  }

  /** The next matching successful answers carry a body that is not JSON. */
  malformedBody(spec: FaultSpec): this {
    return this.arm("malformed", spec);
  }

  /** Every request waits this long before it is answered. */
  addLatency(ms: number): this {
    this.latency = ms;
    return this;
  }

  /** Disarms every switch. */
  clear(): void {
    this.armed = [];
    this.latency = 0;
  }

  /** Decides the fate of one request to `route` and uses up one shot of the matching switch. */
  take(route: string): FaultDecision {
    const found = this.armed.find(
      (armed) => armed.left > 0 && (armed.route === undefined || armed.route === route),
    );
    if (!found) return { kind: "none", latencyMs: this.latency };
    found.left -= 1;
    if (found.kind === "rateLimited") {
      return { kind: "rateLimited", latencyMs: this.latency, retryAfterSeconds: found.retryAfterSeconds };
    }
    return { kind: found.kind, latencyMs: this.latency };
  }

  private arm(kind: Armed["kind"], spec: FaultSpec, retryAfterSeconds = 0): this {
    this.armed.push({ kind, skip: spec.after ?? 0, left: spec.times, route: spec.route, retryAfterSeconds });
    return this;
  }
}
