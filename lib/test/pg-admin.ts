import { randomBytes } from "node:crypto";
import pg from "pg";

/** The local Postgres server tests create their own databases on (trust auth on these machines). */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrlFor(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function postgresReachable(timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates (or re-creates) the named database and returns its URL. */
export async function createDatabase(name: string): Promise<{ name: string; url: string }> {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
  await admin(async (c) => {
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.query(`create database "${name}"`);
  });
  return { name, url: databaseUrlFor(name) };
}

/** Creates a fresh, uniquely named database and returns its name and URL. */
export function createTestDatabase(prefix: string): Promise<{ name: string; url: string }> {
  return createDatabase(`${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`);
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}
