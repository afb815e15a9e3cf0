import "server-only";
/**
 * The demo accounts: seeded by server.ts into an empty embedded database (SEED_DEMO), by
 * `npm run db:seed` into whichever database the environment names, and by the bench.
 */
import { count, eq } from "drizzle-orm";
import { closeDb, db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { addresses, areaOffers, authenticatorApps, users, type NewUser } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password-hash";
import { policyVersionInForce } from "@/lib/policy/versions";
import { recordConsent } from "@/lib/preferences/consent";
import { DEMO_AREA_OFFERS } from "@/lib/privacy/area-offers";
import { sealTotpSecret } from "@/lib/two-step/secret";
import { DEMO_SYNTHETIC_CUSTOMERS, demoSeedSettings, seedSyntheticCustomers } from "./seed-customers";

export const DEMO_PASSWORD = "demo-password-2026";
/**
 * The authenticator-app secret (base32) every seeded demo staff account has enrolled: staff cannot
 * open the console without a second step, and whoever tries the demo needs the codes. Public on
 * purpose (README, start-up banner) and only ever written by this demo seed — never use it for a
 * real account.
 */
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP";

export const demoAccounts: (NewUser & { username: string; note: string })[] = [
  {
    username: "demo",
    role: "customer",
    accountNumber: "1000000001",
    email: "demo@example.com",
    firstName: "Dana",
    lastName: "Demo",
    note: "customer, account number 1000000001",
  },
  {
    username: "rep",
    role: "rep",
    email: "rep@myaccount.localhost",
    firstName: "Riley",
    lastName: "Rep",
    note: "service rep (two-step: authenticator app)",
  },
  {
    username: "marketing",
    role: "marketing",
    email: "marketing@myaccount.localhost",
    firstName: "Morgan",
    lastName: "Marketing",
    note: "marketing (two-step: authenticator app)",
  },
  {
    username: "admin",
    role: "admin",
    email: "admin@myaccount.localhost",
    firstName: "Alex",
    lastName: "Admin",
    note: "admin (two-step: authenticator app)",
  },
];

/** Customer records that exist in billing but have no online login yet (for /register). */
const unregisteredCustomers = [{ accountNumber: "1000000002", firstName: "Pat", lastName: "Pending", zip: "80203" }];

export async function isDatabaseEmpty(): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n === 0;
}

/**
 * Inserts the demo accounts; existing usernames/account numbers are left as they are. With
 * `syntheticCustomers` (by default what scripts/start.ts asked for, else none) it also adds that
 * many synthetic customers with 90 days of history (lib/demo/seed-customers.ts), once.
 * Returns how many synthetic customers were added.
 */
export async function seedDemo(
  options: { syntheticCustomers?: number } = {},
): Promise<{ syntheticCustomers: number; ms: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const wanted = options.syntheticCustomers ?? demoSeedSettings.syntheticCustomers;
  return db.transaction(async (tx) => {
    for (const { note: _note, ...account } of demoAccounts) {
      const [row] = await tx
        .insert(users)
        .values({ ...account, passwordHash, registeredAt: new Date(), passwordChangedAt: new Date() })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (row && account.role !== "customer") {
        await tx.insert(authenticatorApps).values({
          userId: row.id,
          secretBox: sealTotpSecret(row.id, DEMO_TOTP_SECRET),
          confirmedAt: new Date(),
        });
      }
      if (row && account.role === "customer") {
        await tx
          .insert(addresses)
          .values({ userId: row.id, kind: "service", line1: "123 Main St", city: "Denver", state: "CO", zip: "80202" });
        // The demo customer said yes to special offers when registering.
        await recordConsent(tx, {
          userId: row.id,
          topicId: "offers",
          action: "granted",
          source: "register",
          actorId: row.id,
          ip: "",
          userAgent: "seed",
        });
      }
    }
    for (const c of unregisteredCustomers) {
      const [row] = await tx
        .insert(users)
        .values({ role: "customer", accountNumber: c.accountNumber, firstName: c.firstName, lastName: c.lastName })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (row) {
        await tx
          .insert(addresses)
          .values({ userId: row.id, kind: "service", line1: "456 Oak Ave", city: "Denver", state: "CO", zip: c.zip });
      }
    }
    // "Products in your area": a small catalogue by ZIP prefix, seeded once (802 covers the demo customers).
    const [offers] = await tx.select({ n: count() }).from(areaOffers);
    if (offers.n === 0) {
      await tx.insert(areaOffers).values(DEMO_AREA_OFFERS.map((o, i) => ({ ...o, sortOrder: i })));
    }
    const started = performance.now();
    const [rep] = await tx.select({ id: users.id }).from(users).where(eq(users.username, "rep"));
    const added = await seedSyntheticCustomers(tx, wanted, {
      policyVersion: await policyVersionInForce(tx),
      repId: rep?.id ?? null,
    });
    return { syntheticCustomers: added, ms: Math.round(performance.now() - started) };
  });
}

// `npm run db:seed`: seeds whichever database the environment names (DATABASE_URL or PGlite).
if (import.meta.url === `file://${process.argv[1]}`) {
  runMigrations()
    .then(() => seedDemo({ syntheticCustomers: DEMO_SYNTHETIC_CUSTOMERS }))
    .then(({ syntheticCustomers, ms }) =>
      console.log(
        `Demo accounts seeded (password: ${DEMO_PASSWORD}; staff authenticator secret: ${DEMO_TOTP_SECRET})${syntheticCustomers ? `, and ${syntheticCustomers} synthetic customers with 90 days of history in ${ms} ms` : ""}.`,
      ),
    )
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(closeDb);
}
