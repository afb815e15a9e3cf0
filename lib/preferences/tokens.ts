import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { unsubscribeSecret } from "@/lib/env";

/**
 * Unsubscribe tokens: opaque, unguessable and stateless, so the one-click endpoint answers without
 * a lookup table and a token can be made inside SQL for a streamed export.
 *
 *   payload = version (uint8) | user id (16 bytes) | topic code (uint16) | issued day (uint32, days since epoch)
 *   token   = base64url(payload | first 16 bytes of HMAC-SHA256(key, payload)), no padding
 *
 * The key is derived from UNSUBSCRIBE_SECRET (or AUTH_SECRET when that is unset — then rotating
 * AUTH_SECRET also ends every unsubscribe link already mailed). A token names one person and one
 * topic, and works for TOKEN_TTL_DAYS after it was made (RFC 8058 senders need ≥ 60 days).
 *
 * This module is the token's only definition. The export makes its tokens inside Postgres (that is
 * what lets a million-row list stream out as one COPY), so the SQL form, unsubscribeTokenSql(), is
 * composed from the same field list, MAC length and encoding as the TypeScript signer below; a test
 * (tokens.test.ts) checks on both databases that the two give the identical token.
 */
export const TOKEN_TTL_DAYS = 90;
const VERSION = 1;

/** HKDF parameters of the signing key. Changing any of them ends every link already mailed. */
const KEY_DERIVATION = { hash: "sha256", salt: "myaccount", info: "unsubscribe-token-v1", bytes: 32 } as const;
/** The HMAC is HMAC-SHA256 (SQL's sha256() below), truncated to MAC_BYTES. */
const MAC_BYTES = 16;
/** SHA-256's block size: HMAC pads its key to this length. */
const HMAC_BLOCK_BYTES = 64;

/** One payload field: its size, and how TypeScript writes and reads it (big-endian numbers). */
type Codec<T> = { bytes: number; encode(value: T): Buffer; decode(raw: Buffer): T };

const unsigned = (bytes: 1 | 2 | 4): Codec<number> => ({
  bytes,
  encode: (value) => {
    const b = Buffer.alloc(bytes);
    b.writeUIntBE(value, 0, bytes);
    return b;
  },
  decode: (raw) => raw.readUIntBE(0, bytes),
});

const uuid: Codec<string> = {
  bytes: 16,
  encode: (id) => Buffer.from(id.replace(/-/g, ""), "hex"),
  decode: (raw) => {
    const h = raw.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

type Payload = { version: number; userId: string; topicCode: number; issuedDay: number };

const FIELDS: { [K in keyof Payload]: Codec<Payload[K]> } = {
  version: unsigned(1),
  userId: uuid,
  topicCode: unsigned(2),
  issuedDay: unsigned(4),
};

/**
 * How SQL writes the same bytes as FIELDS[…].encode for the fields that come from a row. The
 * others are constants in a statement and are written by `encode` itself (see unsubscribeTokenSql).
 * int2send is big-endian like `encode` but signed: topic codes up to 32767 give the same bytes,
 * and a larger one fails the statement rather than making a different token.
 */
const FROM_SQL = {
  userId: (expr: string) => `decode(replace(${expr}::text, '-', ''), 'hex')`,
  topicCode: (expr: string) => `int2send(${expr}::int2)`,
} satisfies Partial<Record<keyof Payload, (expr: string) => string>>;

/** The payload's fields, in order. */
const ORDER = ["version", "userId", "topicCode", "issuedDay"] as const satisfies readonly (keyof Payload)[];
const PAYLOAD_BYTES = ORDER.reduce((n, name) => n + FIELDS[name].bytes, 0);

function encodeField<K extends keyof Payload>(name: K, value: Payload[K]): Buffer {
  return FIELDS[name].encode(value);
}

function encodePayload(p: Payload): Buffer {
  return Buffer.concat(ORDER.map((name) => encodeField(name, p[name])));
}

function decodePayload(raw: Buffer): Payload {
  const p: Record<string, unknown> = {};
  let at = 0;
  for (const name of ORDER) {
    const { bytes, decode } = FIELDS[name];
    p[name] = decode(raw.subarray(at, at + bytes));
    at += bytes;
  }
  return p as Payload;
}

let cached: { secret: string; key: Buffer } | undefined;

/** The signing key, derived once per secret (the one-click endpoint checks a token per request). */
function key(): Buffer {
  const secret = unsubscribeSecret();
  if (!secret) throw new Error("UNSUBSCRIBE_SECRET or AUTH_SECRET must be set");
  if (cached?.secret !== secret) {
    const { hash, salt, info, bytes } = KEY_DERIVATION;
    cached = { secret, key: Buffer.from(hkdfSync(hash, secret, salt, info, bytes)) };
  }
  return cached.key;
}

function mac(payload: Buffer): Buffer {
  return createHmac(KEY_DERIVATION.hash, key()).update(payload).digest().subarray(0, MAC_BYTES);
}

export function dayNumber(date = new Date()): number {
  return Math.floor(date.getTime() / 86_400_000);
}

export function signUnsubscribeToken(userId: string, topicCode: number, issuedDay = dayNumber()): string {
  const payload = encodePayload({ version: VERSION, userId, topicCode, issuedDay });
  return Buffer.concat([payload, mac(payload)]).toString("base64url");
}

type TokenClaims = { userId: string; topicCode: number; issuedDay: number };

/** The claims of a genuine, unexpired token; null for anything forged, altered, re-encoded or old. */
export function verifyUnsubscribeToken(token: string, today = dayNumber()): TokenClaims | null {
  if (typeof token !== "string" || token.length > 100 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  // Only the exact canonical spelling is accepted (no padding, no alternative encodings).
  if (raw.length !== PAYLOAD_BYTES + MAC_BYTES || raw.toString("base64url") !== token) return null;
  const payload = raw.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(mac(payload), raw.subarray(PAYLOAD_BYTES))) return null;
  const { version, userId, topicCode, issuedDay } = decodePayload(payload);
  if (version !== VERSION) return null;
  if (issuedDay > today + 1 || today - issuedDay > TOKEN_TTL_DAYS) return null;
  return { userId, topicCode, issuedDay };
}

/**
 * HMAC in SQL without pgcrypto (not available on every database this app runs on):
 * HMAC(K, m) = sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ m)), with the padded keys computed here.
 * They are key material: pass them as bound parameters (see lib/marketing/export.ts), never inside
 * statement text, which Postgres shows in pg_stat_activity and may write to its log.
 */
export function sqlHmacKeys(): { ipadHex: string; opadHex: string } {
  const k = Buffer.alloc(HMAC_BLOCK_BYTES);
  key().copy(k);
  const ipad = Buffer.from(k.map((b) => b ^ 0x36));
  const opad = Buffer.from(k.map((b) => b ^ 0x5c));
  return { ipadHex: ipad.toString("hex"), opadHex: opad.toString("hex") };
}

/**
 * The token signUnsubscribeToken(userId, topicCode, issuedDay) makes, as a SQL expression of type
 * text. `userId` and `topicCode` are SQL expressions (a uuid and an integer, typically columns);
 * `issuedDay` is inlined as bytes. `pads` are SQL expressions yielding the bytea HMAC pads of
 * sqlHmacKeys() — read from a bound parameter or a session setting, never spelled out here.
 */
export function unsubscribeTokenSql(
  row: Record<keyof typeof FROM_SQL, string>,
  issuedDay: number,
  pads: { ipad: string; opad: string },
): string {
  const constant = <K extends keyof Payload>(name: K, value: Payload[K]) =>
    `decode('${encodeField(name, value).toString("hex")}', 'hex')`;
  const parts: Record<keyof Payload, string> = {
    version: constant("version", VERSION),
    userId: FROM_SQL.userId(row.userId),
    topicCode: FROM_SQL.topicCode(row.topicCode),
    issuedDay: constant("issuedDay", issuedDay),
  };
  const payload = ORDER.map((name) => parts[name]).join(" || ");
  const hmac = `substring(sha256(${pads.opad} || sha256(${pads.ipad} || ${payload})) from 1 for ${MAC_BYTES})`;
  // base64url without padding, as Buffer's "base64url": encode() writes standard base64 with
  // padding and a newline every 76 characters.
  return `translate(encode(${payload} || ${hmac}, 'base64'), E'+/=\\n', '-_')`;
}
