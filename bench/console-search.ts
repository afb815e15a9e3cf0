/**
 * Part 7 (issue 10, find a customer), run by bench/figures/console.ts as a child process with
 * DATABASE_URL naming an empty database of its own: migrates it, seeds BENCH_CUSTOMERS synthetic
 * customers (lib/demo/synthetic.ts; users + service address, COPY into a staging table and two
 * set-based INSERTs), VACUUM ANALYZE, then times lib/console/search.ts's searchCustomers() — the
 * app's own function, its SQL through the app's Drizzle pool — for each kind of search, each
 * iteration beside a bare primary-key lookup through the same pool. Prints one JSON object on
 * stdout (figures and the EXPLAIN (ANALYZE, BUFFERS) of every statement one search of each kind runs).
 *
 *   DATABASE_URL=postgres://…/db BENCH_CUSTOMERS=1000000 BENCH_CONSOLE_QUERIES=500 \
 *     node --import ./scripts/node/register.mjs bench/console-search.ts
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { sql } from "drizzle-orm";
import { closeDb, db, dbHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { searchCustomers } from "@/lib/console/search";
import { prng, syntheticCustomer, SYNTHETIC_ACCOUNT_BASE } from "@/lib/demo/synthetic";
import { percentile } from "./lib/stats";

const CUSTOMERS = Math.floor(Number(process.env.BENCH_CUSTOMERS) || 1_000_000);
const QUERIES = Math.floor(Number(process.env.BENCH_CONSOLE_QUERIES) || 500);
const WARMUP = Math.floor(Number(process.env.BENCH_CONSOLE_WARMUP) || 50);

const log = (s: string) => process.stderr.write(`[bench] console: ${s}\n`);

/** COPY text format: backslash, tab and line breaks escaped (synthetic data has none, but be exact). */
const esc = (v: string) =>
  v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);

async function seed(client: pg.Client): Promise<{ ms: number; copyMs: number }> {
  const started = performance.now();
  await client.query("set synchronous_commit = off");
  await client.query("set maintenance_work_mem = '256MB'");
  await client.query("set work_mem = '256MB'");
  await client.query(`create unlogged table bench_customers (
      n int, account_number text, first_name text, last_name text, email text, phone text,
      line1 text, city text, state text, zip text)`);
  function* lines() {
    let batch = "";
    for (let n = 0; n < CUSTOMERS; n++) {
      const c = syntheticCustomer(n);
      batch += `${n}\t${[c.accountNumber, c.firstName, c.lastName, c.email, c.phone, c.line1, c.city, c.state, c.zip].map(esc).join("\t")}\n`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = "";
      }
    }
    if (batch) yield batch;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom("copy bench_customers from stdin")));
  const copyMs = performance.now() - started;
  log(`${CUSTOMERS} synthetic customers copied into staging in ${(copyMs / 1000).toFixed(1)} s; inserting…`);
  // Building an index once over a million rows is far quicker than growing it row by row: the
  // secondary indexes (exactly as the migrations made them, from pg_get_indexdef) are dropped for
  // the load and made again after it.
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.relname as name, pg_get_indexdef(i.oid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where t.relname in ('users', 'addresses') and not x.indisprimary and t.relnamespace = 'public'::regnamespace`,
  );
  for (const ix of indexes) await client.query(`drop index "${ix.name}"`);
  // Registered customers: a username (the e-mail's local part) so the username index is as full as
  // in production.
  await client.query(`insert into users (role, username, account_number, email, first_name, last_name, phone,
                        registered_at, created_at, updated_at)
                      select 'customer', split_part(email, '@', 1), account_number, email, first_name, last_name, phone,
                             now(), now(), now()
                        from bench_customers order by n`);
  await client.query(`insert into addresses (user_id, kind, line1, city, state, zip)
                      select u.id, 'service', b.line1, b.city, b.state, b.zip
                        from bench_customers b join users u on u.account_number = b.account_number`);
  await client.query("drop table bench_customers");
  log(`inserted in ${((performance.now() - started) / 1000).toFixed(1)} s; indexing…`);
  for (const ix of indexes) await client.query(ix.def);
  log(`indexed in ${((performance.now() - started) / 1000).toFixed(1)} s; vacuum analyze…`);
  await client.query("vacuum (analyze) users, addresses");
  return { ms: performance.now() - started, copyMs };
}

type Kind = { name: string; query: (i: number) => { q: string; page?: number } };

const pick = prng(20261202);
const someone = () => syntheticCustomer(Math.floor(pick() * CUSTOMERS));

/** Each iteration searches a different customer's details (or a rotating name), so no one row stays hot. */
const kinds: Kind[] = [
  { name: "name prefix (3 letters of a last name)", query: () => ({ q: someone().lastName.slice(0, 3) }) },
  {
    name: "first + last name prefixes (“jo gar”)",
    query: () => {
      const c = someone();
      return { q: `${c.firstName.slice(0, 2)} ${c.lastName.slice(0, 3)}` };
    },
  },
  {
    name: "accented name (José / jose / JOSÉ…)",
    query: (i) => ({ q: ["José", "jose", "JOSÉ", "josé garcía", "Núñez", "zoe", "Müller", "émile"][i % 8] }),
  },
  { name: "name prefix, last page (25: offset 480)", query: () => ({ q: someone().lastName.slice(0, 3), page: 25 }) },
  { name: "account number", query: () => ({ q: someone().accountNumber }) },
  { name: "e-mail address", query: () => ({ q: someone().email.toUpperCase() }) },
  {
    name: "phone “(303) 555-0123”",
    query: () => {
      const d = someone().phone.slice(2);
      return { q: `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` };
    },
  },
];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

type Figures = { name: string; n: number; p50: number; p95: number; p99: number; max: number; hits: number };

function figures(name: string, ms: number[], hits: number): Figures {
  const s = [...ms].sort((a, b) => a - b);
  return {
    name,
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1],
    hits,
  };
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required");
  await runMigrations();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seeded = await seed(client);
  const { rows: sizeRows } = await client.query<{ users: string; idx: string }>(
    `select pg_size_pretty(pg_total_relation_size('users')) as users,
            pg_size_pretty(pg_relation_size('users_first_name_fold_idx') + pg_relation_size('users_last_name_fold_idx')) as idx`,
  );

  // Ids for the primary-key floor: a sample spread over the table.
  const { rows: idRows } = await client.query<{ id: string }>(
    `select id from users where account_number = any($1::text[])`,
    [Array.from({ length: 5000 }, () => someone().accountNumber)],
  );
  const ids = idRows.map((r) => r.id);
  const byId = (i: number) =>
    db.execute(
      sql`select id, first_name, last_name, account_number from users where id = ${ids[(i * 7919) % ids.length]}`,
    );

  const results: { search: Figures; floor: Figures }[] = [];
  for (const kind of kinds) {
    for (let i = 0; i < WARMUP; i++) {
      await searchCustomers(kind.query(i));
      await byId(i);
    }
    const searchMs: number[] = [];
    const floorMs: number[] = [];
    let hits = 0;
    for (let i = 0; i < QUERIES; i++) {
      const input = kind.query(i);
      let total = 0;
      searchMs.push(
        await timed(async () => {
          const r = await searchCustomers(input);
          if (!r.ok) throw new Error(`search ${JSON.stringify(input)} refused: ${JSON.stringify(r)}`);
          total = r.data.hits.length;
        }),
      );
      hits += total;
      floorMs.push(await timed(() => byId(i)));
    }
    results.push({ search: figures(kind.name, searchMs, hits / QUERIES), floor: figures("primary key", floorMs, 1) });
    log(
      `${kind.name}: p50 ${results.at(-1)!.search.p50.toFixed(2)} ms, p95 ${results.at(-1)!.search.p95.toFixed(2)} ms`,
    );
  }

  // The plans: every statement one search of each kind sends, captured at the app's pool and
  // explained with the same parameters.
  const pool = dbHandle().pool!;
  const captured: { text: string; values: unknown[] }[] = [];
  const original = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const [first, second] = args;
    if (first && typeof first === "object" && "text" in first) {
      const q = first as { text: string; values?: unknown[] };
      captured.push({ text: q.text, values: q.values ?? (second as unknown[]) ?? [] });
    } else if (typeof first === "string") captured.push({ text: first, values: (second as unknown[]) ?? [] });
    return original(...args);
  };
  const plans: { kind: string; q: string; statements: string[] }[] = [];
  const samples: { kind: string; input: { q: string; page?: number } }[] = [
    { kind: "name prefix", input: { q: "gar" } },
    { kind: "two words", input: { q: "jo gar" } },
    { kind: "accented name", input: { q: "José" } },
    { kind: "name prefix, last page (25)", input: { q: "gar", page: 25 } },
    { kind: "account number", input: { q: String(SYNTHETIC_ACCOUNT_BASE + 123456) } },
    { kind: "e-mail", input: { q: syntheticCustomer(123456).email } },
    { kind: "phone", input: { q: "(303) 555-0123" } },
  ];
  for (const s of samples) {
    captured.length = 0;
    await searchCustomers(s.input);
    const statements: string[] = [];
    for (const c of [...captured]) {
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `explain (analyze, buffers, costs off, timing on) ${c.text}`,
        c.values,
      );
      statements.push(`${c.text.replace(/\s+/g, " ").trim()}\n${rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
    }
    plans.push({ kind: s.kind, q: JSON.stringify(s.input), statements });
  }
  (pool as unknown as { query: unknown }).query = original;
  await client.end();
  process.stdout.write(
    JSON.stringify({
      customers: CUSTOMERS,
      queries: QUERIES,
      warmup: WARMUP,
      seedMs: seeded.ms,
      copyMs: seeded.copyMs,
      usersSize: sizeRows[0].users,
      nameIndexSize: sizeRows[0].idx,
      results,
      plans,
    }),
  );
}

try {
  await main();
} catch (err) {
  console.error("[bench] console search failed:", err);
  process.exitCode = 1;
} finally {
  await closeDb();
  // The seeding client may still be open after a failure; nothing else should keep the process.
  process.exit();
}
