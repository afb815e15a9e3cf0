import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { addresses, areaOffers } from "@/db/schema";
import { ok, type Outcome } from "@/lib/actions/result";
import { getPrivacyChoices, recordPrivacyChoice } from "./choices";

export type AreaOffer = { id: number; title: string; description: string; monthlyPriceCents: number };

/** What "Products in your area" shows: nothing at all unless the customer turned it on. */
export type AreaOffersView = { enabled: false } | { enabled: true; zip: string | null; offers: AreaOffer[] };

/**
 * The offers at the service ZIP code on file, chosen on the server from the profile each time the
 * page is drawn: no cookie, no tracking, no location from the browser. The catalogue is keyed by
 * the first three digits (the area a ZIP code belongs to).
 */
export async function getAreaOffers(userId: string): Promise<AreaOffersView> {
  const choices = await getPrivacyChoices(db, userId);
  if (!choices.area_offers) return { enabled: false };
  const [service] = await db
    .select({ zip: addresses.zip })
    .from(addresses)
    .where(and(eq(addresses.userId, userId), eq(addresses.kind, "service")));
  const zip = service?.zip.slice(0, 5) || null;
  if (!zip) return { enabled: true, zip: null, offers: [] };
  const offers = await db
    .select({
      id: areaOffers.id,
      title: areaOffers.title,
      description: areaOffers.description,
      monthlyPriceCents: areaOffers.monthlyPriceCents,
    })
    .from(areaOffers)
    .where(eq(areaOffers.zipPrefix, zip.slice(0, 3)))
    .orderBy(asc(areaOffers.sortOrder), asc(areaOffers.id));
  return { enabled: true, zip, offers };
}

/** Turns "Products in your area" on or off, recorded in the privacy-choice ledger. */
export async function setAreaOffers(
  actor: { userId: string; ip: string; userAgent: string },
  enabled: boolean,
): Promise<Outcome> {
  await db.transaction((tx) =>
    recordPrivacyChoice(tx, {
      userId: actor.userId,
      choice: "area_offers",
      granted: enabled,
      source: "privacy-centre",
      ip: actor.ip,
      userAgent: actor.userAgent,
    }),
  );
  return ok(
    undefined,
    enabled ? "Products in your area are on." : "Products in your area are off. We no longer show them.",
  );
}

/** The demo catalogue: a few offers per ZIP prefix (Denver 802 holds the demo customers). */
export const DEMO_AREA_OFFERS: { zipPrefix: string; title: string; description: string; monthlyPriceCents: number }[] =
  [
    {
      zipPrefix: "802",
      title: "Fiber 1 Gig",
      description: "Symmetric 1 Gbps internet, now available on your street in Denver.",
      monthlyPriceCents: 6500,
    },
    {
      zipPrefix: "802",
      title: "Mountain TV Basic",
      description: "Local Denver channels and 40 more, with a cloud recorder.",
      monthlyPriceCents: 3000,
    },
    {
      zipPrefix: "802",
      title: "Home Phone Unlimited",
      description: "Unlimited calls in the US and Canada on your existing line.",
      monthlyPriceCents: 2000,
    },
    {
      zipPrefix: "803",
      title: "Internet 500",
      description: "500 Mbps internet for Boulder and the surrounding area.",
      monthlyPriceCents: 5000,
    },
    {
      zipPrefix: "100",
      title: "Internet 300",
      description: "300 Mbps internet for Manhattan apartments, no installation fee.",
      monthlyPriceCents: 4500,
    },
  ];
