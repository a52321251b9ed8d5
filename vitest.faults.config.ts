import { defineConfig } from "vitest/config";

/** `npm run test:faults`: the fault suite alone, which `npm test` leaves out (it takes minutes, not seconds). */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    environment: "node",
    // Hundreds of jobs, and one scenario waits out a client timeout (30 s) per job on purpose.
    testTimeout: 60_000,
    hookTimeout: 900_000,
    setupFiles: ["test/setup.ts"],
    // The handlers' logs are captured and searched for secrets, so they must be written: INFO and up.
    env: { POWERTOOLS_LOG_LEVEL: "INFO", POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
