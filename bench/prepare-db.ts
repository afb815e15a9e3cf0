/**
 * Run by bench/run.ts before it starts the server, with the server's own environment: applies the
 * migrations, seeds the demo accounts and creates the customers the sign-in and profile-save
 * benchmarks use, writes their ids to BENCH_IDS_FILE (JSON, username → id: the bench client cannot
 * read an embedded PGlite the server holds), then closes the database (an embedded PGlite folder
 * can only be open in one process at a time).
 *
 *   BENCH_USERS=20 BENCH_IDS_FILE=/tmp/ids.json node --import tsx bench/prepare-db.ts
 */
import { writeFileSync } from "node:fs";
import { inArray } from "drizzle-orm";
import { closeDb, db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/lib/demo/seed";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password-hash";
import { benchUser, TWO_STEP_PASSKEY_FIRST, TWO_STEP_TOTP_FIRST } from "./users";

const count = Number(process.env.BENCH_USERS ?? 16);
// Part 9's customers (bench/figures/two-step.ts turns two-step on for them through the app).
const totpCount = Number(process.env.BENCH_TWO_STEP_TOTP_USERS ?? 0);
const passkeyCount = Number(process.env.BENCH_TWO_STEP_PASSKEY_USERS ?? 0);
const numbers = [
  ...Array.from({ length: count }, (_, i) => i + 1),
  ...Array.from({ length: totpCount }, (_, i) => TWO_STEP_TOTP_FIRST + i),
  ...Array.from({ length: passkeyCount }, (_, i) => TWO_STEP_PASSKEY_FIRST + i),
];

try {
  await runMigrations();
  await seedDemo();
  for (const i of numbers) {
    const u = benchUser(i);
    // Each user gets their own hash (own salt), made with the app's real argon2id settings.
    const passwordHash = await hashPassword(u.password);
    await db
      .insert(users)
      .values({
        role: "customer",
        username: u.username,
        accountNumber: u.accountNumber,
        email: `${u.username}@bench.example`,
        firstName: "Bench",
        lastName: `User ${i}`,
        passwordHash,
        registeredAt: new Date(),
        passwordChangedAt: new Date(),
      })
      .onConflictDoNothing();
  }
  const names = numbers.map((i) => benchUser(i).username);
  const rows = await db
    .select({ username: users.username, id: users.id })
    .from(users)
    .where(inArray(users.username, names));
  if (rows.length !== names.length) throw new Error(`expected ${names.length} bench customers, found ${rows.length}`);
  if (process.env.BENCH_IDS_FILE)
    writeFileSync(process.env.BENCH_IDS_FILE, JSON.stringify(Object.fromEntries(rows.map((r) => [r.username, r.id]))));
  console.log(`[bench] database ready: demo accounts and ${names.length} bench customers`);
} catch (err) {
  console.error("[bench] preparing the database failed:", err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
