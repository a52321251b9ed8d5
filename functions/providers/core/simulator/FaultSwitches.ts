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
  | { kind: "unavailable"; latencyMs: number; status: number | undefined }
  | { kind: "drop"; latencyMs: number }
  | { kind: "dropAnswer"; latencyMs: number }
  | { kind: "malformed"; latencyMs: number }
  | { kind: "wrongShape"; latencyMs: number };

interface Armed {
  kind: Exclude<FaultDecision["kind"], "none"> | "slow";
  skip: number;
  left: number;
  route: string | undefined;
  retryAfterSeconds: number;
  status: number | undefined;
  /** Extra wait of a `slow` switch, on top of the latency every request gets. */
  delayMs: number;
}

/**
 * The simulators' fault switches: N times 429, N times 5xx, connections dropped before or after the
 * provider acted, malformed or wrongly shaped bodies, latency for all or for a few requests.
 */
export class FaultSwitches {
  private armed: Armed[] = [];
  private latency = 0;

  /** The next matching requests answer 429 with the provider's Retry-After advice. */
  rateLimit(spec: FaultSpec & { retryAfterSeconds?: number }): this {
    return this.arm("rateLimited", spec, { retryAfterSeconds: spec.retryAfterSeconds ?? 1 });
  }

  /**
   * The next matching requests answer a 5xx in the provider's error format: `status`, or the one the
   * provider documents for an outage (503 unless its dialect says otherwise).
   */
  unavailable(spec: FaultSpec & { status?: number }): this {
    return this.arm("unavailable", spec, { status: spec.status });
  }

  /** The next matching requests have their connection closed without an answer, before the route runs. */
  dropConnection(spec: FaultSpec): this {
    return this.arm("drop", spec);
  }

  /**
   * The next matching requests run (the provider acts: a create creates) and then lose their connection
   * before the answer: the case a client cannot tell from a request that never arrived.
   */
  dropAnswer(spec: FaultSpec): this {
    return this.arm("dropAnswer", spec);
  }

  /** The next matching successful answers carry a body that is not JSON. */
  malformedBody(spec: FaultSpec): this {
    return this.arm("malformed", spec);
  }

  /**
   * The next matching successful answers carry valid JSON of the wrong shape (`{"unexpected": true}`):
   * a provider changing its API under us, or a proxy's answer.
   */
  wrongShapeBody(spec: FaultSpec): this {
    return this.arm("wrongShape", spec);
  }

  /** The next matching requests wait `delayMs` more before they run: latency past a client's timeout. */
  slow(spec: FaultSpec & { delayMs: number }): this {
    return this.arm("slow", spec, { delayMs: spec.delayMs });
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
    let found: Armed | undefined;
    for (const armed of this.armed) {
      if (armed.left <= 0 || (armed.route !== undefined && armed.route !== route)) continue;
      // A switch still letting requests through (`after`) lets this one through too.
      if (armed.skip > 0) armed.skip -= 1;
      else found ??= armed;
    }
    if (!found) return { kind: "none", latencyMs: this.latency };
    found.left -= 1;
    if (found.kind === "slow") return { kind: "none", latencyMs: this.latency + found.delayMs };
    if (found.kind === "rateLimited") {
      return { kind: "rateLimited", latencyMs: this.latency, retryAfterSeconds: found.retryAfterSeconds };
    }
    if (found.kind === "unavailable")
      return { kind: "unavailable", latencyMs: this.latency, status: found.status };
    return { kind: found.kind, latencyMs: this.latency };
  }

  private arm(
    kind: Armed["kind"],
    spec: FaultSpec,
    extra: { retryAfterSeconds?: number; status?: number | undefined; delayMs?: number } = {},
  ): this {
    this.armed.push({
      kind,
      skip: spec.after ?? 0,
      left: spec.times,
      route: spec.route,
      retryAfterSeconds: extra.retryAfterSeconds ?? 0,
      status: extra.status,
      delayMs: extra.delayMs ?? 0,
    });
    return this;
  }
}
