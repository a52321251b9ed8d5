import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite runs on its own (`npm run test:faults`, vitest.faults.config.ts): minutes, not seconds.
    exclude: [...configDefaults.exclude, "test/faults/**"],
    environment: "node",
    // A ceiling for hangs, not a speed check: a CDK synth takes 15-60 s on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: the CDK and state machine suites are CPU-heavy, more workers only thrash.
    maxWorkers: 2,
    setupFiles: ["test/setup.ts"],
    // Handlers log every failure as JSON; tests provoke failures on purpose and assert on results instead.
    // Metrics are EMF lines on stdout for CloudWatch; tests that check them turn them on themselves.
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
