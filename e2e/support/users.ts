/**
 * Test data written straight into the run's own Postgres database (the one serve.ts created), and
 * readers for what the app wrote. Postgres-only: on PGlite the database lives inside the server.
 */
import { randomBytes, randomInt } from "node:crypto";
import { hash } from "@node-rs/argon2";
import pg from "pg";
import { e2e } from "./config";

let pool: pg.Pool | undefined;

/** Refuses anything but a local database: these helpers insert rows (dub's assert-local-database). */
function assertLocalDatabase(url: string) {
  const { hostname, pathname } = new URL(url);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname) || !pathname.startsWith("/myaccount_e2e_")) {
    throw new Error(`e2e helpers only write to a local e2e database, not ${hostname}${pathname}`);
  }
}

/** The run's database, connected directly (not through the cuttable proxy). */
export function testDb(): pg.Pool {
  if (e2e.db !== "postgres") throw new Error("This helper needs E2E_DB=postgres (specs cannot open PGlite)");
  if (!pool) {
    assertLocalDatabase(e2e.databaseUrl);
    pool = new pg.Pool({ connectionString: e2e.databaseUrl, max: 2, allowExitOnIdle: true });
  }
  return pool;
}

const hashes = new Map<string, Promise<string>>();
/** argon2id with the app's parameters (lib/auth/password-hash.ts), cached per password. */
function hashPassword(password: string): Promise<string> {
  let h = hashes.get(password);
  if (!h) {
    h = hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    hashes.set(password, h);
  }
  return h;
}

export function randomSuffix(): string {
  return randomBytes(5).toString("hex");
}

/** 10 digits, never starting with 0, and never the demo range 100000000x. */
export function randomAccountNumber(): string {
  return String(randomInt(2_000_000_000, 9_999_999_999));
}

export function randomZip(): string {
  return String(randomInt(10_000, 99_999));
}

export type TestCustomer = {
  id: string;
  username: string;
  accountNumber: string;
  email: string;
  password: string;
  firstName: string;
  zip: string;
};

export type UnregisteredCustomer = { id: string; accountNumber: string; firstName: string; zip: string };

async function insertServiceAddress(client: pg.PoolClient | pg.Pool, userId: string, zip: string) {
  await client.query(
    `insert into addresses (user_id, kind, line1, city, state, zip) values ($1, 'service', '1 Test Way', 'Denver', 'CO', $2)`,
    [userId, zip],
  );
}

/** A customer who has registered online (username + password), with a service address. */
export async function createCustomer(opts: { password?: string } = {}): Promise<TestCustomer> {
  const suffix = randomSuffix();
  const password = opts.password ?? `e2e-pass-${randomSuffix()}-long`;
  const c = {
    username: `e2e_${suffix}`,
    accountNumber: randomAccountNumber(),
    email: `e2e_${suffix}@example.test`,
    password,
    firstName: `Tess${suffix.slice(0, 4)}`,
    zip: randomZip(),
  };
  const passwordHash = await hashPassword(password);
  const db = testDb();
  const { rows } = await db.query<{ id: string }>(
    `insert into users (role, username, account_number, email, password_hash, first_name, last_name, registered_at, password_changed_at)
     values ('customer', $1, $2, $3, $4, $5, 'Tester', now(), now()) returning id`,
    [c.username, c.accountNumber, c.email, passwordHash, c.firstName],
  );
  await insertServiceAddress(db, rows[0].id, c.zip);
  return { id: rows[0].id, ...c };
}

/** A customer record from billing with no online login yet (what /register links to). */
export async function createUnregisteredCustomer(): Promise<UnregisteredCustomer> {
  const c = { accountNumber: randomAccountNumber(), firstName: `Rae${randomSuffix().slice(0, 4)}`, zip: randomZip() };
  const db = testDb();
  const { rows } = await db.query<{ id: string }>(
    `insert into users (role, account_number, first_name, last_name) values ('customer', $1, $2, 'Pending') returning id`,
    [c.accountNumber, c.firstName],
  );
  await insertServiceAddress(db, rows[0].id, c.zip);
  return { id: rows[0].id, ...c };
}

export type UserRow = {
  id: string;
  username: string | null;
  email: string | null;
  password_hash: string | null;
  registered_at: Date | null;
  version: number;
  updated_at: Date;
};

export async function getUser(id: string): Promise<UserRow> {
  const { rows } = await testDb().query<UserRow>(
    `select id, username, email, password_hash, registered_at, version, updated_at from users where id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`No user ${id}`);
  return rows[0];
}

/** The audit actions recorded about a user, oldest first. */
export async function auditActions(userId: string): Promise<string[]> {
  const { rows } = await testDb().query<{ action: string }>(
    `select action from audit_events where subject_user_id = $1 or actor_id = $1 order by id`,
    [userId],
  );
  return rows.map((r) => r.action);
}

export type SessionRow = { id: string; revoked_at: Date | null; revoked_reason: string | null };

export async function sessionsOf(userId: string): Promise<SessionRow[]> {
  const { rows } = await testDb().query<SessionRow>(
    `select id, revoked_at, revoked_reason from sessions where user_id = $1 order by created_at`,
    [userId],
  );
  return rows;
}

export async function passwordResetCount(userId: string): Promise<number> {
  const { rows } = await testDb().query<{ n: string }>(
    `select count(*)::text as n from password_resets where user_id = $1`,
    [userId],
  );
  return Number(rows[0].n);
}
