import { randomBytes, randomInt } from "node:crypto";
import { db } from "@/db/client";
import { addresses, users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password-hash";

export const TEST_PASSWORD = "correct horse battery staple 42";

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
export async function createUser(opts: { role?: Role; registered?: boolean; password?: string; zip?: string } = {}) {
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
  return { id: user.id, username, accountNumber, email, password, zip };
}
