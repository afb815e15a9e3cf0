import "server-only";
import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";
import { db, type DbOrTx } from "@/db/client";
import { authenticatorApps } from "@/db/schema";
import { BRAND_NAME } from "@/lib/brand";
import { openTotpSecret, sealTotpSecret } from "@/lib/two-step/secret";

/** RFC 6238 as every authenticator app understands it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Codes from one step either side of now pass: a phone clock a little off, a code typed as it turned. */
const WINDOW_STEPS = 1;
/** A started enrolment not confirmed within this long counts as none (the QR code was shown long ago). */
export const ENROLMENT_TTL_MS = 15 * 60_000;

function totp(base32: string, label = "MyAccount"): TOTP {
  return new TOTP({
    issuer: BRAND_NAME,
    label,
    algorithm: "SHA1",
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });
}

/** "123 456" → "123456"; anything else than six digits → null, refused before any database work. */
function normaliseCode(code: string): string | null {
  const digits = code.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step a code belongs to (now ± WINDOW_STEPS), or null when it matches none of them. */
function matchingStep(base32: string, code: string, now: number): number | null {
  const t = totp(base32);
  const delta = t.validate({ token: code, timestamp: now, window: WINDOW_STEPS });
  return delta === null ? null : t.counter({ timestamp: now }) + delta;
}

function pendingIsFresh() {
  return sql`${authenticatorApps.createdAt} > now() - make_interval(secs => ${ENROLMENT_TTL_MS / 1000})`;
}

/**
 * Starts (or restarts) enrolment: a fresh 160-bit secret (RFC 4226's recommended length) stored
 * UNconfirmed, replacing an earlier unconfirmed one. Refused when a confirmed authenticator exists:
 * replacing a working factor is "remove, then add", each with its own fresh verification and mail.
 * The QR code is an SVG string with a viewBox and no fixed size, so it scales to its container;
 * the caller adds role="img" and an aria-label.
 */
export async function beginAuthenticatorEnrolment(
  userId: string,
  accountLabel: string,
): Promise<{ ok: true; secret: string; uri: string; qrSvg: string } | { ok: false; code: "authenticatorAlreadyOn" }> {
  const secret = new Secret({ size: 20 }).base32;
  const secretBox = sealTotpSecret(userId, secret);
  const rows = await db
    .insert(authenticatorApps)
    .values({ userId, secretBox, confirmedAt: null, lastUsedStep: null, lastUsedAt: null, createdAt: sql`now()` })
    .onConflictDoUpdate({
      target: authenticatorApps.userId,
      set: { secretBox, lastUsedStep: null, lastUsedAt: null, createdAt: sql`now()` },
      // Only an unconfirmed row is replaced; a confirmed one makes the upsert return nothing.
      setWhere: isNull(authenticatorApps.confirmedAt),
    })
    .returning({ userId: authenticatorApps.userId });
  if (rows.length === 0) return { ok: false, code: "authenticatorAlreadyOn" };
  const uri = totp(secret, accountLabel).toString();
  // A quiet zone of 2 modules (the spec asks 4; phone scanners read 2 off a screen) keeps the code large
  // on a narrow phone; crispEdges stops antialiasing seams between modules when scaled.
  const qrSvg = renderSVG(uri, { ecc: "M", border: 2 }).replace("<path ", '<path shape-rendering="crispEdges" ');
  return { ok: true, secret, uri, qrSvg };
}

/**
 * Switches the pending authenticator on once it has produced a right code (± one step). The code's
 * step is recorded as used, and created_at becomes the confirmation time, which is when the factor
 * was "added" for the "This wasn't me" undo (lib/two-step/factors.ts).
 */
export async function confirmAuthenticatorEnrolment(
  tx: DbOrTx,
  userId: string,
  code: string,
): Promise<"ok" | "wrong" | "none"> {
  const [pending] = await tx
    .select({ secretBox: authenticatorApps.secretBox })
    .from(authenticatorApps)
    .where(and(eq(authenticatorApps.userId, userId), isNull(authenticatorApps.confirmedAt), pendingIsFresh()));
  if (!pending) return "none";
  const digits = normaliseCode(code);
  if (!digits) return "wrong";
  const step = matchingStep(openTotpSecret(userId, pending.secretBox), digits, Date.now());
  if (step === null) return "wrong";
  // Conditional on the very secret the code was checked against: an enrolment restarted meanwhile
  // (another tab, a new QR code) is not switched on by a code from the old one.
  const rows = await tx
    .update(authenticatorApps)
    .set({ confirmedAt: sql`now()`, createdAt: sql`now()`, lastUsedStep: step, lastUsedAt: sql`now()` })
    .where(
      and(
        eq(authenticatorApps.userId, userId),
        isNull(authenticatorApps.confirmedAt),
        eq(authenticatorApps.secretBox, pending.secretBox),
        pendingIsFresh(),
      ),
    )
    .returning({ userId: authenticatorApps.userId });
  return rows.length === 1 ? "ok" : "none";
}

/**
 * Checks a code against the confirmed authenticator. Each time step is accepted once per account:
 * the accepted step is written with one conditional UPDATE (only if newer than the last used one),
 * so two requests racing with the same code cannot both pass, and a code older than the last one
 * used is refused too. "wrong" also covers "no authenticator" (the caller offers only what exists).
 */
export async function checkAuthenticatorCode(userId: string, code: string): Promise<"ok" | "wrong" | "replayed"> {
  const digits = normaliseCode(code);
  if (!digits) return "wrong";
  const [app] = await db
    .select({ secretBox: authenticatorApps.secretBox, lastUsedStep: authenticatorApps.lastUsedStep })
    .from(authenticatorApps)
    .where(and(eq(authenticatorApps.userId, userId), isNotNull(authenticatorApps.confirmedAt)));
  if (!app) return "wrong";
  const step = matchingStep(openTotpSecret(userId, app.secretBox), digits, Date.now());
  if (step === null) return "wrong";
  if (app.lastUsedStep !== null && step <= app.lastUsedStep) return "replayed";
  const rows = await db
    .update(authenticatorApps)
    .set({ lastUsedStep: step, lastUsedAt: sql`now()` })
    .where(
      and(
        eq(authenticatorApps.userId, userId),
        isNotNull(authenticatorApps.confirmedAt),
        or(isNull(authenticatorApps.lastUsedStep), lt(authenticatorApps.lastUsedStep, step)),
      ),
    )
    .returning({ userId: authenticatorApps.userId });
  // Nothing updated: a parallel request took this step (or a newer one) first.
  return rows.length === 1 ? "ok" : "replayed";
}

/** Removes the authenticator (and any pending enrolment). True only when a switched-on one was removed. */
export async function removeAuthenticator(tx: DbOrTx, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(authenticatorApps)
    .where(eq(authenticatorApps.userId, userId))
    .returning({ confirmedAt: authenticatorApps.confirmedAt });
  return rows.some((r) => r.confirmedAt !== null);
}
