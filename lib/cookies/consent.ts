import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { db, type DbOrTx } from "@/db/client";
import { privacyChoices } from "@/db/schema";
import { currentSession } from "@/lib/auth/current";
import { forgetRememberedUsername } from "@/lib/auth/remembered-username";
import type { ActiveSession } from "@/lib/auth/sessions";
import { authSecret } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { recordPrivacyChoice, type ChoiceSource } from "@/lib/privacy/choices";
import { CONSENT_COOKIE, CONSENT_MAX_AGE_SECONDS } from "./registry";
import { sendsGpc, signConsent, verifyConsent, type ConsentChoices } from "./consent-token";

/**
 * What this request may do with optional cookies and counting.
 * - `functional`, `analytics`: allowed now (false unless chosen yes, and always false with GPC).
 * - `decided`: the visitor has answered (or GPC answered for them), so the banner asks nothing.
 * - `gpc`: the browser sent `Sec-GPC: 1`.
 * - `from`: where the answer came from; a signed-in customer's stored choices apply when the
 *   consent cookie is absent (another browser, cleared cookies).
 */
export type Consent = {
  functional: boolean;
  analytics: boolean;
  decided: boolean;
  gpc: boolean;
  from: "cookie" | "account" | "none";
  /** The choices as made, before GPC: the settings form shows them. */
  chosen: ConsentChoices;
};

const NONE: ConsentChoices = { functional: null, analytics: null };

/** The rule, on its own: chosen choices (cookie, else account), then GPC on top. */
export function effectiveConsent(cookie: ConsentChoices | null, account: ConsentChoices | null, gpc: boolean): Consent {
  const from = cookie ? "cookie" : account ? "account" : "none";
  const chosen = cookie ?? account ?? NONE;
  return {
    functional: !gpc && chosen.functional === true,
    analytics: !gpc && chosen.analytics === true,
    decided: gpc || (chosen.functional !== null && chosen.analytics !== null),
    gpc,
    from,
    chosen,
  };
}

/** A signed-in person's stored cookie choices, or null if they never made one. */
export async function accountCookieChoices(tx: DbOrTx, userId: string): Promise<ConsentChoices | null> {
  const rows = await tx
    .select({ choice: privacyChoices.choice, granted: privacyChoices.granted })
    .from(privacyChoices)
    .where(
      and(
        eq(privacyChoices.userId, userId),
        inArray(privacyChoices.choice, ["cookies_functional", "cookies_analytics"]),
      ),
    );
  if (rows.length === 0) return null;
  const out: ConsentChoices = { functional: null, analytics: null };
  for (const r of rows) {
    if (r.choice === "cookies_functional") out.functional = r.granted;
    else out.analytics = r.granted;
  }
  return out;
}

async function sessionOrNull(): Promise<ActiveSession | null> {
  // The banner renders in the root layout, which must render while the database is down.
  try {
    return await currentSession();
  } catch {
    return null;
  }
}

/** This request's consent: the signed cookie, else the signed-in person's stored choices; GPC on top. */
export async function currentConsent(): Promise<Consent> {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  const cookie = verifyConsent(jar.get(CONSENT_COOKIE)?.value, authSecret());
  const gpc = sendsGpc(h.get("sec-gpc"));
  let account: ConsentChoices | null = null;
  if (!cookie) {
    const session = await sessionOrNull();
    if (session) account = await accountCookieChoices(db, session.userId).catch(() => null);
  }
  return effectiveConsent(cookie, account, gpc);
}

/** Writes the consent cookie (only from a server action or route handler). */
export async function writeConsentCookie(choices: ConsentChoices): Promise<void> {
  const secret = authSecret();
  if (!secret) throw new Error("AUTH_SECRET must be set");
  (await cookies()).set(CONSENT_COOKIE, signConsent(choices, secret), {
    httpOnly: true,
    secure: true,
    sameSite: "lax",
    path: "/",
    maxAge: CONSENT_MAX_AGE_SECONDS,
  });
}

/** The choices in this request's genuine consent cookie, or null. */
export async function consentCookieChoices(): Promise<ConsentChoices | null> {
  return verifyConsent((await cookies()).get(CONSENT_COOKIE)?.value, authSecret());
}

export type CookieChoice = { functional: boolean; analytics: boolean };

/**
 * Saves a visitor's or customer's choice from the banner or a settings form: the cookie always,
 * the consent ledger too when someone is signed in. Refusing functional cookies removes the
 * remembered username at once.
 */
export async function saveCookieChoices(
  choice: CookieChoice,
  ctx: { session: ActiveSession | null; request: RequestContext; source: ChoiceSource },
): Promise<void> {
  if (ctx.session) {
    const userId = ctx.session.userId;
    await db.transaction(async (tx) => {
      for (const [key, granted] of [
        ["cookies_functional", choice.functional],
        ["cookies_analytics", choice.analytics],
      ] as const) {
        await recordPrivacyChoice(tx, {
          userId,
          choice: key,
          granted,
          source: ctx.source,
          ip: ctx.request.clientIp,
          userAgent: ctx.request.userAgent,
        });
      }
    });
  }
  await writeConsentCookie(choice);
  if (!choice.functional) await forgetRememberedUsername();
}

/**
 * Ticking "Remember my username" is consent to that one functional cookie: recorded for the
 * person who just signed in and kept in the consent cookie (analytics stays as it was).
 */
export async function grantFunctionalAtSignIn(userId: string, request: RequestContext): Promise<void> {
  await db.transaction((tx) =>
    recordPrivacyChoice(tx, {
      userId,
      choice: "cookies_functional",
      granted: true,
      source: "sign-in",
      ip: request.clientIp,
      userAgent: request.userAgent,
    }),
  );
  const now = (await consentCookieChoices()) ?? (await accountCookieChoices(db, userId)) ?? NONE;
  await writeConsentCookie({ functional: true, analytics: now.analytics });
}

/**
 * After signing in on a browser without a consent cookie, the customer's stored choices become
 * this browser's cookie, so the server-side counter (which reads only the cookie) honours them.
 */
export async function adoptAccountChoices(userId: string): Promise<void> {
  if (await consentCookieChoices()) return;
  const account = await accountCookieChoices(db, userId);
  if (account) await writeConsentCookie(account);
}
