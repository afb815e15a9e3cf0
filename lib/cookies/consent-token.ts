import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The consent cookie's value: `1.<functional><analytics>.<mac>`, each choice "y", "n" or "u"
 * (not yet chosen), signed with HMAC-SHA256 under a key derived from AUTH_SECRET. A value that
 * is forged, altered, of another version or made with another secret reads as no choice at all —
 * never as consent. Bumping CONSENT_VERSION (new categories, new wording) asks everyone again.
 */
export const CONSENT_VERSION = 1;
const MAC_BYTES = 16;
const KEY_DERIVATION = { hash: "sha256", salt: "myaccount", info: "cookie-consent-v1", bytes: 32 } as const;

/** A choice per optional category; null where the visitor has not chosen yet. */
export type ConsentChoices = { functional: boolean | null; analytics: boolean | null };

let cached: { secret: string; key: Buffer } | undefined;

function key(secret: string): Buffer {
  if (cached?.secret !== secret) {
    const { hash, salt, info, bytes } = KEY_DERIVATION;
    cached = { secret, key: Buffer.from(hkdfSync(hash, secret, salt, info, bytes)) };
  }
  return cached.key;
}

function mac(body: string, secret: string): Buffer {
  return createHmac("sha256", key(secret)).update(body).digest().subarray(0, MAC_BYTES);
}

const letter = (v: boolean | null) => (v === null ? "u" : v ? "y" : "n");
const value = (c: string) => (c === "u" ? null : c === "y");

export function signConsent(choices: ConsentChoices, secret: string): string {
  const body = `${CONSENT_VERSION}.${letter(choices.functional)}${letter(choices.analytics)}`;
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

/** The choices in a genuine consent cookie of this version; null for anything else. */
export function verifyConsent(token: string | undefined, secret: string | undefined): ConsentChoices | null {
  if (!token || !secret || token.length > 64) return null;
  const m = /^(\d+)\.([ynu])([ynu])\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m || Number(m[1]) !== CONSENT_VERSION) return null;
  const given = Buffer.from(m[4], "base64url");
  // Only the canonical spelling of the MAC counts.
  if (given.length !== MAC_BYTES || given.toString("base64url") !== m[4]) return null;
  if (!timingSafeEqual(given, mac(`${m[1]}.${m[2]}${m[3]}`, secret))) return null;
  return { functional: value(m[2]), analytics: value(m[3]) };
}

/** The value of one cookie in a raw Cookie header (server.ts reads it before Next parses anything). */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Sec-GPC: 1` (Global Privacy Control) refuses every optional category. */
export function sendsGpc(header: string | string[] | null | undefined): boolean {
  const v = Array.isArray(header) ? header[0] : header;
  return v?.trim() === "1";
}
