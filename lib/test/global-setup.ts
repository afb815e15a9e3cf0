import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase } from "./pg-admin";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** On Postgres: one database for the run, migrated once, dropped at the end. */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DB !== "postgres") {
    project.provide("databaseUrl", "");
    return;
  }
  const db = await createTestDatabase("myaccount_test");
  process.env.DATABASE_URL = db.url;
  const { runMigrations } = await import("../../db/migrate");
  const { closeDb } = await import("../../db/client");
  await runMigrations();
  await closeDb();
  project.provide("databaseUrl", db.url);
  return async () => {
    await dropTestDatabase(db.name);
  };
}
