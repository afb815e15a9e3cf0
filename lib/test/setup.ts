import { afterAll, beforeAll, inject } from "vitest";

const databaseUrl = inject("databaseUrl");
if (databaseUrl) {
  process.env.DATABASE_URL = databaseUrl;
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory://";
}
process.env.AUTH_SECRET ??= "unit-test-secret-unit-test-secret-0123456789";
process.env.DATA_DIR ??= ".test-data/unit";
process.env.DATA_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");

beforeAll(async () => {
  if (!databaseUrl) {
    const { runMigrations } = await import("@/db/migrate");
    await runMigrations();
  }
});

afterAll(async () => {
  const { closeDb } = await import("@/db/client");
  await closeDb();
});
