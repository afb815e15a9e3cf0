import { randomBytes, randomInt } from "node:crypto";
import { db } from "@/db/client";
import { addresses, authenticatorApps, users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password-hash";
import { sealTotpSecret } from "@/lib/two-step/secret";

export const TEST_PASSWORD = "correct horse battery staple 42";
/** The authenticator secret staff made here have enrolled (base32; the demo seed's, RFC 6238's usual example). */
export const TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXP";

export function randomAccountNumber(): string {
  return String(randomInt(2_000_000_000, 9_999_999_999));
}

export function randomName(prefix = "user"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/**
 * Inserts a person with a service address. `registered: false` makes a billing-only customer
 * record (no username or password) such as /register links to.
 */
export async function createUser(
  opts: { role?: Role; registered?: boolean; password?: string; zip?: string; twoStep?: boolean } = {},
) {
  const registered = opts.registered ?? true;
  const username = randomName();
  const accountNumber = randomAccountNumber();
  const email = `${username}@example.test`;
  const password = opts.password ?? TEST_PASSWORD;
  const [user] = await db
    .insert(users)
    .values({
      role: opts.role ?? "customer",
      accountNumber: (opts.role ?? "customer") === "customer" ? accountNumber : null,
      username: registered ? username : null,
      email: registered ? email : null,
      passwordHash: registered ? await hashPassword(password) : null,
      firstName: "Test",
      lastName: "Person",
    })
    .returning({ id: users.id, version: users.version });
  const zip = opts.zip ?? "80202";
  await db
    .insert(addresses)
    .values({ userId: user.id, kind: "service", line1: "1 Test St", city: "Denver", state: "CO", zip });
  // Staff cannot be signed in without a second factor (lib/auth/sessions.ts), so staff made here
  // have an authenticator app unless a test asks for one without (`twoStep: false`).
  if (opts.twoStep ?? (opts.role ?? "customer") !== "customer") {
    await db.insert(authenticatorApps).values({
      userId: user.id,
      secretBox: sealTotpSecret(user.id, TEST_TOTP_SECRET),
      confirmedAt: new Date(),
    });
  }
  return { id: user.id, username, accountNumber, email, password, zip };
}
