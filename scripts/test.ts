/**
 * `npm test`: every test, on both databases.
 *
 *   1. typecheck, lint, format check, licence check
 *   2. integration tests on PGlite, then on the Postgres server at 127.0.0.1:5432
 *   3. production build, then Playwright e2e in Chromium: the full suite on Postgres and the
 *      smoke subset on PGlite (the `npm start` default)
 *   4. `npm run test:faults` (scripts/faults.ts) on that build: the database cut under load
 *   With NODE24_BIN set (CI sets it), steps 2 and 3 also run the PGlite integration tests and the
 *   e2e smoke on that Node 24 binary.
 *
 * Without a reachable Postgres server the Postgres variants are skipped (and said so), unless
 * CI is set: CI requires both. Without Chromium it tries Playwright's own download, else stops
 * with the one command that installs it. Ends with a "N passed, N failed" line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { postgresReachable } from "../lib/test/pg-admin";

const ci = Boolean(process.env.CI);
const results = path.resolve("test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

type Suite = { name: string; passed: number; failed: number; skipped?: string };
const suites: Suite[] = [];

function run(cmd: string, args: string[], env: Record<string, string | undefined> = {}): number {
  console.log(`\n$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return r.status ?? 1;
}

const bin = (name: string) => path.resolve("node_modules/.bin", name);

function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  const system = candidates.find((p) => p && existsSync(p));
  if (system) return system;
  // Playwright's own browser, if one was downloaded (or can be, on machines that allow it).
  const playwrightPath = () => {
    const out = spawnSync(
      process.execPath,
      ["-e", "console.log(require('playwright-core').chromium.executablePath())"],
      { encoding: "utf8" },
    );
    const p = out.stdout.trim();
    return p && existsSync(p) ? p : undefined;
  };
  const have = playwrightPath();
  if (have) return have;
  console.log("No Chromium found; trying Playwright's own download (npx playwright install chromium)…");
  const dl = spawnSync(bin("playwright"), ["install", "chromium"], { stdio: "inherit", timeout: 180_000 });
  return dl.status === 0 ? playwrightPath() : undefined;
}

function vitestCounts(file: string): { passed: number; failed: number } {
  try {
    const json = JSON.parse(readFileSync(file, "utf8"));
    return {
      passed: json.numPassedTests ?? 0,
      failed: (json.numFailedTests ?? 0) + (json.success === false && !json.numFailedTests ? 1 : 0),
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function playwrightCounts(file: string): { passed: number; failed: number } {
  try {
    const { stats } = JSON.parse(readFileSync(file, "utf8"));
    return {
      passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
      failed: (stats.unexpected ?? 0) + (stats.errors?.length ?? 0),
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

// 0. What this machine has.
const chromium = findChromium();
if (!chromium) {
  console.error(
    "\nNo Chromium browser for the end-to-end tests. Install it with:\n\n  sudo apt-get install -y chromium\n",
  );
  process.exit(1);
}
const havePostgres = await postgresReachable();
if (!havePostgres) {
  const msg = "The Postgres server at 127.0.0.1:5432 is not reachable";
  if (ci) {
    console.error(`\n${msg}: CI requires the Postgres variants. Failing.`);
    process.exit(1);
  }
  console.warn(`\n${msg}: running the PGlite variants only; the Postgres variants are SKIPPED.`);
}

// 1. Static checks: types, lint (layers included), formatting, runtime licences.
const staticChecks: [string, string, string[]][] = [
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), [".", "--max-warnings", "0"]],
  ["format", bin("prettier"), ["--check", "."]],
  ["licences", process.execPath, ["--import", "./scripts/node/register.mjs", "scripts/check-licences.ts"]],
];
for (const [name, cmd, args] of staticChecks) {
  const status = run(cmd, args);
  suites.push({ name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
}

// A second Node (NODE24_BIN, set by .ci/run) runs the PGlite integration tests and the e2e smoke
// again: Node 20 is what these machines have, Node 24 LTS is what production should run.
const node24 = process.env.NODE24_BIN;
if (ci && !node24) {
  console.error("\nCI requires NODE24_BIN (the Node 24 binary .ci/run installs). Failing.");
  process.exit(1);
}
if (node24 && !existsSync(node24)) {
  console.error(`\nNODE24_BIN=${node24} does not exist. Failing.`);
  process.exit(1);
}
/** Runs tools with `node` resolving to the Node 24 binary (their shebangs use PATH). */
const onNode24 = () =>
  node24 ? { PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ""}` } : undefined;

// 2. Integration tests, once per database (and on PGlite once more on Node 24).
const integrationRuns = [
  { db: "pglite", node: "" },
  { db: "postgres", node: "" },
  ...(node24 ? [{ db: "pglite", node: "node 24" }] : []),
] as const;
for (const { db, node } of integrationRuns) {
  const name = `integration (${[db, node].filter(Boolean).join(", ")})`;
  if (db === "postgres" && !havePostgres) {
    suites.push({ name, passed: 0, failed: 0, skipped: "no Postgres server" });
    continue;
  }
  const out = path.join(results, `unit-${db}${node ? "-node24" : ""}.json`);
  run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], {
    TEST_DB: db,
    ...(node ? onNode24() : {}),
  });
  suites.push({ name, ...vitestCounts(out) });
}

// 3. Production build and end-to-end tests.
const build = run(bin("next"), ["build"]);
if (build !== 0) {
  suites.push({ name: "next build", passed: 0, failed: 1 });
} else {
  const e2eRuns = [
    { db: "postgres", node: "" },
    { db: "pglite", node: "" },
    ...(node24 ? [{ db: "pglite", node: "node 24" }] : []),
  ] as const;
  for (const { db, node } of e2eRuns) {
    const name = `e2e (${[db, db === "pglite" && "smoke", node].filter(Boolean).join(", ")})`;
    if (db === "postgres" && !havePostgres) {
      suites.push({ name, passed: 0, failed: 0, skipped: "no Postgres server" });
      continue;
    }
    const out = path.join(results, `e2e-${db}${node ? "-node24" : ""}.json`);
    run(bin("playwright"), ["test", "--reporter=list,json"], {
      E2E_DB: db,
      CHROMIUM_PATH: chromium,
      PLAYWRIGHT_JSON_OUTPUT_FILE: out,
      E2E_RUN_ID: undefined,
      ...(node ? onNode24() : {}),
    });
    suites.push({ name, ...playwrightCounts(out) });
  }
  // 4. The database cut under load, on the build just made (scripts/faults.ts).
  if (!havePostgres) {
    suites.push({ name: "faults", passed: 0, failed: 0, skipped: "no Postgres server" });
  } else {
    const status = run(process.execPath, ["--import", "./scripts/node/register.mjs", "scripts/faults.ts"]);
    suites.push({ name: "faults", passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 });
  }
}

console.log("\nSummary");
for (const s of suites) {
  console.log(
    `  ${s.name.padEnd(28)} ${s.skipped ? `SKIPPED (${s.skipped})` : `${s.passed} passed, ${s.failed} failed`}`,
  );
}
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
const skipped = suites.filter((s) => s.skipped).length;
console.log(
  `\n${passed} passed, ${failed} failed${skipped ? ` (${skipped} suite${skipped === 1 ? "" : "s"} skipped)` : ""}`,
);
process.exit(failed > 0 ? 1 : 0);
