import path from "node:path";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { dbHandle, closeDb, type DbHandle } from "./client";
import { MIGRATION_LOCK_KEY } from "./migration-lock";
import * as schema from "./schema";

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/**
 * Applies every migration in drizzle/ that the database has not seen yet (both drivers).
 *
 * Several instances may start at once on one Postgres, and Drizzle's migrator takes no lock of its
 * own: two would both see a migration as new and both run it (the second fails half-way). So the
 * migrator runs on one connection that holds a session advisory lock; the others wait for it,
 * then find nothing left to do. PGlite is one process by construction and needs no lock.
 */
export async function runMigrations(handle: DbHandle = dbHandle()): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

// `npm run db:migrate`
if (import.meta.url === `file://${process.argv[1]}`) {
  runMigrations()
    .then(() => console.log("Migrations applied."))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(closeDb);
}
