import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { privacyChoiceEvents, privacyChoices, users, type PrivacyChoice } from "@/db/schema";
import { policyVersionInForce } from "@/lib/policy/versions";

/**
 * The exact question each privacy choice asks, copied into every ledger row, so the evidence
 * says what the person agreed to. Change the words here and the next rows carry the new ones.
 */
export const CHOICE_WORDING: Record<PrivacyChoice, string> = {
  cookies_functional: "Functional cookies: remember choices such as my username on this device",
  cookies_analytics: "Analytics: count my visits to pages and campaigns, without identifying me",
  area_offers: "Show me the products and offers available at my service address",
};

/** Where a choice was made; stored as text in the ledger. */
export type ChoiceSource = "banner" | "privacy-centre" | "sign-in" | "gpc";

export type ChoiceChange = {
  userId: string;
  choice: PrivacyChoice;
  granted: boolean;
  source: ChoiceSource;
  ip: string;
  userAgent: string;
};

/**
 * The one door for a privacy choice (cookie categories, products in your area) of a known
 * person: appends a ledger row and sets the current state, in the caller's transaction, only
 * when the choice changes. Returns whether it changed. Visitors' cookie choices live only in
 * their consent cookie; there is nobody to record them against.
 */
export async function recordPrivacyChoice(tx: DbOrTx, change: ChoiceChange): Promise<boolean> {
  // Lock the person so two changes at once serialise instead of both appending an event.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, change.userId)).for("update");
  const [current] = await tx
    .select({ granted: privacyChoices.granted })
    .from(privacyChoices)
    .where(and(eq(privacyChoices.userId, change.userId), eq(privacyChoices.choice, change.choice)));
  // A first answer is always recorded, a refusal included: "asked and said no" is evidence too,
  // and it lets the person's other browsers know not to ask again. After that, only changes.
  if (current && current.granted === change.granted) return false;
  const [event] = await tx
    .insert(privacyChoiceEvents)
    .values({
      userId: change.userId,
      choice: change.choice,
      action: change.granted ? "granted" : "withdrawn",
      source: change.source,
      wording: CHOICE_WORDING[change.choice],
      policyVersion: await policyVersionInForce(tx),
      ip: change.ip,
      userAgent: change.userAgent.slice(0, 512),
    })
    .returning({ id: privacyChoiceEvents.id });
  await tx
    .insert(privacyChoices)
    .values({ userId: change.userId, choice: change.choice, granted: change.granted, lastEventId: event.id })
    .onConflictDoUpdate({
      target: [privacyChoices.userId, privacyChoices.choice],
      set: { granted: change.granted, lastEventId: event.id, updatedAt: new Date() },
    });
  return true;
}

/** The person's current choices; anything never chosen is false. */
export async function getPrivacyChoices(tx: DbOrTx, userId: string): Promise<Record<PrivacyChoice, boolean>> {
  const rows = await tx
    .select({ choice: privacyChoices.choice, granted: privacyChoices.granted })
    .from(privacyChoices)
    .where(eq(privacyChoices.userId, userId));
  const out: Record<PrivacyChoice, boolean> = {
    cookies_functional: false,
    cookies_analytics: false,
    area_offers: false,
  };
  for (const r of rows) out[r.choice] = r.granted;
  return out;
}
