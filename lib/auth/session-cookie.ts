import "server-only";
import { createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";

/** Auth.js's session cookie name with secure cookies on (lib/auth/config.ts sets useSecureCookies). */
export const SESSION_COOKIE = "__Secure-authjs.session-token";

/**
 * Reads the session id out of the Auth.js session cookie. It is the same JWE decryption Auth.js
 * performs (dir key derived with HKDF-SHA256 from AUTH_SECRET, salted with the cookie name), with
 * the derived key and its key id computed once per secret instead of on every request — pages read
 * the session on every render. sign-in and the e2e tests exercise it against cookies Auth.js made.
 */
type DerivedKey = { key: Uint8Array; kid: string };
const derived = new Map<string, Promise<DerivedKey>>();

function keyFor(enc: string, secret: string): Promise<DerivedKey> {
  const length = enc === "A256CBC-HS512" ? 64 : enc === "A256GCM" ? 32 : 0;
  if (!length) return Promise.reject(new Error("Unsupported JWT content encryption"));
  const cacheKey = `${enc}\u0000${secret}`;
  let entry = derived.get(cacheKey);
  if (!entry) {
    entry = (async () => {
      const key = new Uint8Array(
        hkdfSync("sha256", secret, SESSION_COOKIE, `Auth.js Generated Encryption Key (${SESSION_COOKIE})`, length),
      );
      const kid = await calculateJwkThumbprint(
        { kty: "oct", k: base64url.encode(key) },
        `sha${length << 3}` as "sha256" | "sha512",
      );
      return { key, kid };
    })();
    derived.set(cacheKey, entry);
  }
  return entry;
}

const CLOCK_TOLERANCE_S = 15;

/**
 * Auth.js's own format — compact JWE, alg "dir", enc "A256CBC-HS512" (RFC 7516 / RFC 7518 §5.2.2)
 * — decrypted with node:crypto directly: a third of the CPU of the WebCrypto path, on every
 * signed-in request. Returns undefined for anything else, which then takes the general path.
 */
async function fastPath(token: string, secret: string): Promise<string | null | undefined> {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[1] !== "") return undefined;
  const [protectedHeader, , ivB64, ciphertextB64, tagB64] = parts;
  let header: { alg?: string; enc?: string; kid?: string };
  try {
    header = JSON.parse(Buffer.from(protectedHeader, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (header.alg !== "dir" || header.enc !== "A256CBC-HS512") return undefined;
  const { key, kid } = await keyFor("A256CBC-HS512", secret);
  if (header.kid !== undefined && header.kid !== kid) return null;
  const macKey = key.subarray(0, 32);
  const encKey = key.subarray(32);
  const iv = Buffer.from(ivB64, "base64url");
  const ciphertext = Buffer.from(ciphertextB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  const aad = Buffer.from(protectedHeader, "ascii");
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length * 8));
  const expected = createHmac("sha512", macKey)
    .update(aad)
    .update(iv)
    .update(ciphertext)
    .update(al)
    .digest()
    .subarray(0, 32);
  if (iv.length !== 16 || tag.length !== 32 || !timingSafeEqual(expected, tag)) return null;
  const decipher = createDecipheriv("aes-256-cbc", encKey, iv);
  const payload = JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8")) as {
    sid?: unknown;
    exp?: unknown;
    nbf?: unknown;
  };
  const now = Math.floor(Date.now() / 1000);
  // A token without an expiry would be valid forever (Auth.js always sets one): refused.
  if (typeof payload.exp !== "number" || payload.exp < now - CLOCK_TOLERANCE_S) return null;
  if (typeof payload.nbf === "number" && payload.nbf > now + CLOCK_TOLERANCE_S) return null;
  return typeof payload.sid === "string" ? payload.sid : null;
}

/** The `sid` claim of a valid, unexpired session cookie; null for anything else. */
export async function sessionIdFromToken(token: string, secret: string): Promise<string | null> {
  try {
    const fast = await fastPath(token, secret);
    if (fast !== undefined) return fast;
    const { payload } = await jwtDecrypt(
      token,
      async ({ kid, enc }) => {
        const k = await keyFor(enc, secret);
        if (kid !== undefined && kid !== k.kid) throw new Error("no matching key");
        return k.key;
      },
      {
        clockTolerance: CLOCK_TOLERANCE_S,
        keyManagementAlgorithms: ["dir"],
        contentEncryptionAlgorithms: ["A256CBC-HS512", "A256GCM"],
        requiredClaims: ["exp"],
      },
    );
    return typeof payload.sid === "string" ? payload.sid : null;
  } catch {
    // Tampered, expired or made with another secret: the same as no cookie.
    return null;
  }
}
