/**
 * Part 7 (issue 10, the staff console's find-a-customer), Postgres only: on a database of its own
 * (made here, dropped at the end), bench/console-search.ts seeds BENCH_CUSTOMERS=1,000,000
 * synthetic customers and times lib/console/search.ts's searchCustomers() for each kind of search
 * (BENCH_CONSOLE_QUERIES=500 each after BENCH_CONSOLE_WARMUP=50), every search beside a bare
 * primary-key lookup through the same pool, and prints the EXPLAIN (ANALYZE, BUFFERS) of every
 * statement one search of each kind sends. Goal: p95 ≤ 50 ms for each kind.
 *
 * It does not go through the web server: the figure is the search itself (what the page awaits),
 * and the server's own cost per page is part 1's. The child process has the app's environment
 * for db/client.ts (the app's pool and statement timeout).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createTestDatabase, dropTestDatabase } from "../../lib/test/pg-admin";
import { log } from "../lib/log";
import { SERVER_ARGS } from "../lib/server";
import { CONSOLE_QUERIES, CUSTOMERS, GOAL } from "../lib/settings";
import { f1, f2, table } from "../lib/table";

type Figures = { name: string; n: number; p50: number; p95: number; p99: number; max: number; hits: number };

export type ConsoleFigures = {
  customers: number;
  queries: number;
  warmup: number;
  seedMs: number;
  copyMs: number;
  usersSize: string;
  nameIndexSize: string;
  results: { search: Figures; floor: Figures }[];
  plans: { kind: string; q: string; statements: string[] }[];
  wallMs: number;
};

export async function measureConsole(): Promise<ConsoleFigures> {
  const started = performance.now();
  const db = await createTestDatabase("myaccount_bench_console");
  log(`console: database ${db.name}; seeding ${CUSTOMERS} customers and timing the searches…`);
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...SERVER_ARGS, path.join("bench", "console-search.ts")], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          BENCH_CUSTOMERS: String(CUSTOMERS),
          BENCH_CONSOLE_QUERIES: String(CONSOLE_QUERIES),
          NODE_ENV: "production",
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let stdout = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`bench/console-search.ts exited with ${code}`)),
      );
    });
    return { ...(JSON.parse(out) as Omit<ConsoleFigures, "wallMs">), wallMs: performance.now() - started };
  } finally {
    await dropTestDatabase(db.name).catch((err) => console.error(`[bench] dropping ${db.name} failed:`, err));
  }
}

/** The fold's translate() lists run to a thousand characters per mention: the plans name the function instead. */
function readable(plan: string): string {
  return plan.replace(/translate\(lower\((\w+(?:\.\w+)?)\), '[^']*'::text, '[^']*'::text\)/g, "myaccount_fold($1)");
}

export function reportConsole(f: ConsoleFigures) {
  console.log("");
  console.log(
    `Part 7 — find a customer (issue 10): ${f.customers.toLocaleString("en-US")} customers seeded in ${f1(f.seedMs / 1000)} s ` +
      `(COPY ${f1(f.copyMs / 1000)} s), users ${f.usersSize} with both folded-name indexes ${f.nameIndexSize}; ` +
      `searchCustomers() ${f.queries}× per kind after ${f.warmup} warm-up, each beside a primary-key lookup (ms)`,
  );
  table(
    ["search", "p50", "p95", "p99", "max", "rows/page", "pk p50", "pk p95", `goal p95 ≤ ${GOAL.consoleSearchP95Ms}`],
    f.results.map(({ search: s, floor: k }) => [
      s.name,
      f2(s.p50),
      f2(s.p95),
      f2(s.p99),
      f1(s.max),
      f1(s.hits),
      f2(k.p50),
      f2(k.p95),
      s.p95 <= GOAL.consoleSearchP95Ms ? "met" : "MISSED",
    ]),
  );
  console.log("");
  console.log("  The plans (EXPLAIN (ANALYZE, BUFFERS) of each statement one search sends; the fold shown by name):");
  for (const p of f.plans) {
    console.log(`  --- ${p.kind}: ${p.q}`);
    for (const s of p.statements) console.log(readable(s).replace(/^/gm, "    "));
  }
}
