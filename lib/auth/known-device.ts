import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { authSecret } from "@/lib/env";

/**
 * A known device: a browser that once signed in to an account successfully. Its cookie lets it
 * past the account's shared failure counts (lib/auth/throttle.ts), so failures from elsewhere
 * never hold the owner out; it is checked only against its own (account, device) count.
 *
 * No table: each entry is `<user id>.<nonce>.<HMAC>`, the HMAC keyed from AUTH_SECRET over the
 * user id, the nonce and the account's current password hash. A password change or reset thus
 * revokes every device cookie of the account at once (a stolen laptop stops being "known"), and a
 * closed account's cookies name a hash that no longer exists. A browser keeps entries for a few
 * accounts (a shared family computer), newest first.
 */
export const DEVICE_COOKIE = "__Host-myaccount-device";
const MAX_ENTRIES = 5;
// Chrome caps cookie lifetimes at 400 days; a year is long enough to be "my laptop".
const DEVICE_MAX_AGE_SECONDS = 365 * 24 * 3600;

type Account = { id: string; passwordHash: string | null };

function mac(secret: string, userId: string, nonce: string, passwordHash: string | null): string {
  const key = createHmac("sha256", secret).update("myaccount known-device v1").digest();
  return createHmac("sha256", key)
    .update(`${userId}.${nonce}.${passwordHash ?? ""}`)
    .digest("base64url");
}

function entries(cookieValue: string | undefined): { userId: string; nonce: string; mac: string }[] {
  if (!cookieValue || cookieValue.length > 2000) return [];
  return cookieValue
    .split("~")
    .slice(0, MAX_ENTRIES)
    .map((e) => e.split("."))
    .filter((p) => p.length === 3 && p.every((x) => /^[A-Za-z0-9_-]{1,64}$/.test(x)))
    .map(([userId, nonce, m]) => ({ userId, nonce, mac: m }));
}

/** The device id this cookie proves for this account (its nonce), or null when it proves nothing. */
export function knownDeviceOf(cookieValue: string | undefined, account: Account): string | null {
  const secret = authSecret();
  if (!secret) return null;
  for (const e of entries(cookieValue)) {
    if (e.userId !== account.id) continue;
    const want = Buffer.from(mac(secret, account.id, e.nonce, account.passwordHash));
    const got = Buffer.from(e.mac);
    if (want.length === got.length && timingSafeEqual(want, got)) return e.nonce;
  }
  return null;
}

/** The cookie value after a successful sign-in (or reset) to this account: a fresh entry first. */
export function withKnownDevice(cookieValue: string | undefined, account: Account): string | null {
  const secret = authSecret();
  if (!secret) return null;
  const nonce = randomBytes(16).toString("base64url");
  const others = entries(cookieValue)
    .filter((e) => e.userId !== account.id)
    .map((e) => `${e.userId}.${e.nonce}.${e.mac}`);
  return [`${account.id}.${nonce}.${mac(secret, account.id, nonce, account.passwordHash)}`, ...others]
    .slice(0, MAX_ENTRIES)
    .join("~");
}

/** This request's device cookie (in a server action or route handler). */
export async function deviceCookie(): Promise<string | undefined> {
  return (await cookies()).get(DEVICE_COOKIE)?.value;
}

/** Sets the device cookie on this response (in a server action or route handler). */
export async function setDeviceCookie(value: string | null): Promise<void> {
  if (!value) return;
  (await cookies()).set(DEVICE_COOKIE, value, {
    httpOnly: true,
    secure: true,
    sameSite: "lax",
    path: "/",
    maxAge: DEVICE_MAX_AGE_SECONDS,
  });
}
