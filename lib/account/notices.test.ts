import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { paymentMethods, sessions } from "@/db/schema";
import { createSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { accountNotices } from "./notices";

/** The month and year `months` from now (UTC), as a card would print them. */
function monthFromNow(months: number): { expMonth: number; expYear: number } {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  return { expMonth: d.getUTCMonth() + 1, expYear: d.getUTCFullYear() };
}

async function addCard(userId: string, exp: { expMonth: number; expYear: number }) {
  await db.insert(paymentMethods).values({
    userId,
    kind: "card",
    label: "Visa",
    last4: "4242",
    ...exp,
    holderName: "Test Holder",
    encryptedNumber: "not-used-here",
  });
}

describe("account notices", () => {
  it("notices: none for a fresh customer", async () => {
    const user = await createUser();
    expect(await accountNotices(user.id)).toEqual([]);
  });

  it("notices: a card good only through this month is named; one good for three more months is not", async () => {
    const soon = await createUser();
    const exp = monthFromNow(0);
    await addCard(soon.id, exp);
    expect(await accountNotices(soon.id)).toEqual([
      {
        kind: "cardExpiring",
        label: "Visa",
        last4: "4242",
        expiry: `${String(exp.expMonth).padStart(2, "0")}/${exp.expYear}`,
        expired: false,
      },
    ]);

    const later = await createUser();
    await addCard(later.id, monthFromNow(3));
    expect(await accountNotices(later.id)).toEqual([]);

    const past = await createUser();
    await addCard(past.id, monthFromNow(-1));
    expect(await accountNotices(past.id)).toMatchObject([{ kind: "cardExpiring", expired: true }]);
  });

  it("notices: more than five active sessions (revoked and expired ones do not count)", async () => {
    const user = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createSession(db, { userId: user.id, userAgent: "", ip: "" }));
    expect(await accountNotices(user.id)).toEqual([]);
    ids.push(await createSession(db, { userId: user.id, userAgent: "", ip: "" }));
    ids.push(await createSession(db, { userId: user.id, userAgent: "", ip: "" }));
    expect(await accountNotices(user.id)).toEqual([{ kind: "manySessions", count: 7 }]);
    await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, ids[0]));
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, ids[1]));
    expect(await accountNotices(user.id)).toEqual([]);
  });
});
