import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

import { chromiumArgs, e2e } from "./e2e/support/config";

// One id per run, set before workers start so they (and the webServer) all see the same one.
process.env.E2E_RUN_ID ??= randomBytes(4).toString("hex");

/** Debian's Chromium by default (Playwright cannot download its own browser on these machines). */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
}

export default defineConfig({
  testDir: "./e2e",
  // The PGlite variant runs the smoke subset: specs that need to read or cut the database
  // directly are Postgres-only.
  grep: e2e.db === "pglite" ? /@smoke/ : undefined,
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  // Generous: several specs wait for mail the worker delivers once a second, and CI machines have
  // two cores shared by the server, the database and two browsers.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"]],
  use: {
    baseURL: e2e.baseURL,
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
  },
  projects: [
    // Signs in each demo role once and saves the state the specs reuse (e2e/.auth/<run id>/<role>.json).
    { name: "setup", testMatch: /.*\.setup\.ts$/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "chromium",
      testIgnore: /(outage|policy-notice|security\/enumeration)\.spec\.ts$/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"] },
    },
    // Publishes a material policy change: a notice on every page and a mail to every customer.
    {
      name: "policy-notice",
      testMatch: /policy-notice\.spec\.ts$/,
      dependencies: ["chromium"],
      use: { ...devices["Desktop Chrome"] },
    },
    // The hostile suite's timing comparisons (known vs unknown person, 2 ms at the median): alone,
    // one request at a time, so another worker's browser is not what the figure measures.
    {
      name: "timing",
      testMatch: /security\/enumeration\.spec\.ts$/,
      dependencies: ["policy-notice"],
      use: { ...devices["Desktop Chrome"] },
    },
    // Cuts the database for the whole app, so it runs alone, after every other spec has finished.
    {
      name: "outage",
      testMatch: /outage\.spec\.ts$/,
      dependencies: ["timing"],
      use: { ...devices["Desktop Chrome"] },
    },
  ],
  webServer: {
    command: "node --import ./scripts/node/register.mjs e2e/support/serve.ts",
    url: `${e2e.baseURL}/api/health`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
