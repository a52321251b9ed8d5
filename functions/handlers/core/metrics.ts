import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Fetch } from "../../providers/core/ProviderHttpClient";

/**
 * The pipeline's CloudWatch metrics (namespace `vidstep`), written as embedded metric format log lines.
 * Each metric goes out at once with its own `provider` dimension, so a step that fails halfway still
 * reports what it measured. Locally (tests, CLI) POWERTOOLS_METRICS_DISABLED keeps them off stdout.
 */
export const metrics = new Metrics({ namespace: "vidstep", serviceName: "vidstep" });

/** The metric names, in one place for dashboards and alarms. */
export const METRIC_NAMES = {
  jobsStarted: "JobsStarted",
  jobsSucceeded: "JobsSucceeded",
  jobsFailed: "JobsFailed",
  providerLatency: "ProviderLatency",
  providerRetries: "ProviderRetries",
} as const;

/** Counts one event of a provider's jobs (started, succeeded, failed, retried). */
export function countFor(provider: string, name: string, value = 1): void {
  const single = metrics.singleMetric();
  single.addDimension("provider", provider);
  single.addMetric(name, MetricUnit.Count, value);
}

/** A fetch that records how long each provider call took, whatever its answer, as ProviderLatency. */
export function measuredFetch(provider: string, inner: Fetch = (input, init) => fetch(input, init)): Fetch {
  return async (input, init) => {
    const started = performance.now();
    try {
      return await inner(input, init);
    } finally {
      const single = metrics.singleMetric();
      single.addDimension("provider", provider);
      single.addMetric(METRIC_NAMES.providerLatency, MetricUnit.Milliseconds, performance.now() - started);
    }
  };
}
