import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Unsubscribe tokens: opaque, unguessable and stateless, so the one-click endpoint answers without
 * a lookup table and a token can be made inside SQL for a streamed export.
 *
 *   payload = 0x01 | user id (16 bytes) | topic code (uint16) | issued day (uint32, days since epoch)
 *   token   = base64url(payload | first 16 bytes of HMAC-SHA256(key, payload))
 *
 * The key is derived from UNSUBSCRIBE_SECRET (or AUTH_SECRET when that is unset — then rotating
 * AUTH_SECRET also ends every unsubscribe link already mailed). A token names one person and one
 * topic, and works for TOKEN_TTL_DAYS after it was made (RFC 8058 senders need ≥ 60 days).
 */
export const TOKEN_TTL_DAYS = 90;
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 2 + 4;
const MAC_BYTES = 16;

let cached: { secret: string; key: Buffer } | undefined;

/** The signing key, derived once per secret (the one-click endpoint checks a token per request). */
function key(): Buffer {
  const secret = process.env.UNSUBSCRIBE_SECRET || process.env.AUTH_SECRET;
  if (!secret) throw new Error("UNSUBSCRIBE_SECRET or AUTH_SECRET must be set");
  if (cached?.secret !== secret)
    cached = { secret, key: Buffer.from(hkdfSync("sha256", secret, "myaccount", "unsubscribe-token-v1", 32)) };
  return cached.key;
}

export function dayNumber(date = new Date()): number {
  return Math.floor(date.getTime() / 86_400_000);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ""), "hex");
}

function bytesUuid(b: Buffer): string {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function signUnsubscribeToken(userId: string, topicCode: number, issuedDay = dayNumber()): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(userId).copy(payload, 1);
  payload.writeUInt16BE(topicCode, 17);
  payload.writeUInt32BE(issuedDay, 19);
  const mac = createHmac("sha256", key()).update(payload).digest().subarray(0, MAC_BYTES);
  return Buffer.concat([payload, mac]).toString("base64url");
}

export type TokenClaims = { userId: string; topicCode: number; issuedDay: number };

/** The claims of a genuine, unexpired token; null for anything forged, altered, re-encoded or old. */
export function verifyUnsubscribeToken(token: string, today = dayNumber()): TokenClaims | null {
  if (typeof token !== "string" || token.length > 100 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  // Only the exact canonical spelling is accepted (no padding, no alternative encodings).
  if (raw.length !== PAYLOAD_BYTES + MAC_BYTES || raw.toString("base64url") !== token) return null;
  const payload = raw.subarray(0, PAYLOAD_BYTES);
  const expected = createHmac("sha256", key()).update(payload).digest().subarray(0, MAC_BYTES);
  if (!timingSafeEqual(expected, raw.subarray(PAYLOAD_BYTES))) return null;
  if (payload.readUInt8(0) !== VERSION) return null;
  const issuedDay = payload.readUInt32BE(19);
  if (issuedDay > today + 1 || today - issuedDay > TOKEN_TTL_DAYS) return null;
  return { userId: bytesUuid(payload.subarray(1, 17)), topicCode: payload.readUInt16BE(17), issuedDay };
}

/**
 * HMAC in SQL without pgcrypto: HMAC(K, m) = sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ m)), with
 * the padded keys computed here. They are key material: pass them as bound parameters (see
 * lib/marketing/export.ts), never inside statement text, which Postgres shows in
 * pg_stat_activity and may write to its log.
 */
export function sqlHmacKeys(): { ipadHex: string; opadHex: string } {
  const k = Buffer.alloc(64);
  key().copy(k);
  const ipad = Buffer.from(k.map((b) => b ^ 0x36));
  const opad = Buffer.from(k.map((b) => b ^ 0x5c));
  return { ipadHex: ipad.toString("hex"), opadHex: opad.toString("hex") };
}
