import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db, dbHandle } from "@/db/client";
import { recoveryCodes } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { issueRecoveryCodes, RECOVERY_CODE_COUNT, redeemRecoveryCode } from "./recovery-codes";

/**
 * Opens `n` pooled connections first (on Postgres), so the parallel requests below really run at
 * the same time instead of queueing behind the first one's connection setup. PGlite has one
 * connection (and its pg_sleep would spin forever under a frozen Date).
 */
async function openConnections(n: number) {
  if (dbHandle().driver !== "postgres") return;
  await Promise.all(Array.from({ length: n }, () => db.execute(sql`select pg_sleep(0.05)`)));
}

describe("recovery codes", () => {
  it("recovery codes: ten distinct codes from the unambiguous alphabet, stored only as hashes", async () => {
    const user = await createUser();
    const codes = await issueRecoveryCodes(db, user.id);
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
    const rows = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    const expected = codes.map((c) => createHash("sha256").update(c.replace(/-/g, "")).digest("hex"));
    expect(rows.map((r) => r.codeHash).sort()).toEqual(expected.sort());
    expect(JSON.stringify(rows)).not.toContain(codes[0].replace(/-/g, "").slice(0, 8));
  });

  it("recovery codes: each works once; the second use is refused", async () => {
    const user = await createUser();
    const codes = await issueRecoveryCodes(db, user.id);
    for (const code of codes) expect(await redeemRecoveryCode(user.id, code)).toBe(true);
    for (const code of codes) expect(await redeemRecoveryCode(user.id, code)).toBe(false);
    const rows = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(rows.every((r) => r.usedAt instanceof Date)).toBe(true);
  });

  it("recovery codes: one code submitted five times at once works exactly once", async () => {
    const user = await createUser();
    const [code] = await issueRecoveryCodes(db, user.id);
    await openConnections(5);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => redeemRecoveryCode(user.id, code)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("recovery codes: upper case, spaces and missing or extra hyphens are fine; other input is refused", async () => {
    const user = await createUser();
    const codes = await issueRecoveryCodes(db, user.id);
    expect(await redeemRecoveryCode(user.id, ` ${codes[0].toUpperCase()} `)).toBe(true);
    expect(await redeemRecoveryCode(user.id, codes[1].replace(/-/g, " "))).toBe(true);
    expect(await redeemRecoveryCode(user.id, codes[2].replace(/-/g, ""))).toBe(true);
    expect(await redeemRecoveryCode(user.id, codes[3].split("").join("-"))).toBe(true);
    for (const bad of ["", "abcd-efgh", `${codes[4]}x`, codes[4].slice(1), codes[4].replace(/./, "0")]) {
      expect(await redeemRecoveryCode(user.id, bad)).toBe(false);
    }
    expect(await redeemRecoveryCode(user.id, codes[4])).toBe(true);
  });

  it("recovery codes: a regenerated set invalidates the old one; one person's code does not work for another", async () => {
    const user = await createUser();
    const other = await createUser();
    const old = await issueRecoveryCodes(db, user.id);
    const fresh = await issueRecoveryCodes(db, user.id);
    expect(await db.$count(recoveryCodes, eq(recoveryCodes.userId, user.id))).toBe(RECOVERY_CODE_COUNT);
    for (const code of old) expect(await redeemRecoveryCode(user.id, code)).toBe(false);
    expect(await redeemRecoveryCode(other.id, fresh[0])).toBe(false);
    expect(await redeemRecoveryCode(user.id, fresh[0])).toBe(true);
  });
});
