import { defineConfig } from "vitest/config";

/**
 * Two projects: everything against the simulator at server version 193 (what @stoqey/ib offers),
 * and the integration suite again against a simulator capped at 187, the version the stable
 * gnzsnz/ib-gateway channel negotiates (SIM_SERVER_VERSION is read by test/support's worlds).
 * The second run is the integration folder only: it drives every message the bot uses (orders,
 * cancels, open/completed orders, executions, contract details, market data) at the older version
 * for about a fifth of the suite's time; the e2e fault matrix and the chat tests would double it.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    restoreMocks: true,
    projects: [
      { extends: true, test: { name: "v193", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "v187",
          include: ["test/integration/**/*.test.ts"],
          env: { SIM_SERVER_VERSION: "187" },
        },
      },
    ],
  },
});
