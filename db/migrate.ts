import path from "node:path";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { dbHandle, closeDb, type DbHandle } from "./client";

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/** Applies every migration in drizzle/ that the database has not seen yet (both drivers). */
export async function runMigrations(handle: DbHandle = dbHandle()): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePg(handle.db, { migrationsFolder });
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
