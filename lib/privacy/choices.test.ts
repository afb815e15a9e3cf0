import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { privacyChoiceEvents } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { CHOICE_WORDING, getPrivacyChoices, recordPrivacyChoice } from "./choices";

const meta = { ip: "198.51.100.4", userAgent: "Firefox" };

describe("privacy choices", () => {
  it("choices: a change appends one ledger row with the wording; repeating it records nothing", async () => {
    const user = await createUser();
    expect(await getPrivacyChoices(db, user.id)).toEqual({
      cookies_functional: false,
      cookies_analytics: false,
      area_offers: false,
    });
    const change = {
      userId: user.id,
      choice: "area_offers" as const,
      granted: true,
      source: "privacy-centre" as const,
    };
    expect(await db.transaction((tx) => recordPrivacyChoice(tx, { ...change, ...meta }))).toBe(true);
    expect(await db.transaction((tx) => recordPrivacyChoice(tx, { ...change, ...meta }))).toBe(false);
    // A first refusal is an answer and is recorded once; repeating it records nothing.
    const refusal = { ...change, choice: "cookies_analytics" as const, granted: false, ...meta };
    expect(await db.transaction((tx) => recordPrivacyChoice(tx, refusal))).toBe(true);
    expect(await db.transaction((tx) => recordPrivacyChoice(tx, refusal))).toBe(false);
    expect((await getPrivacyChoices(db, user.id)).area_offers).toBe(true);
    const rows = await db
      .select()
      .from(privacyChoiceEvents)
      .where(eq(privacyChoiceEvents.userId, user.id))
      .orderBy(privacyChoiceEvents.id);
    expect(rows.map((r) => [r.choice, r.action])).toEqual([
      ["area_offers", "granted"],
      ["cookies_analytics", "withdrawn"],
    ]);
    expect(rows[0]).toMatchObject({
      choice: "area_offers",
      action: "granted",
      source: "privacy-centre",
      wording: CHOICE_WORDING.area_offers,
      ip: "198.51.100.4",
    });
    await expect(
      db.update(privacyChoiceEvents).set({ action: "withdrawn" }).where(eq(privacyChoiceEvents.userId, user.id)),
    ).rejects.toThrow();
  });
});
