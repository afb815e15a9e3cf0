import { hkdfSync } from "node:crypto";
import { base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";
import { SESSION_COOKIE } from "./constants";

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
      const key = new Uint8Array(hkdfSync("sha256", secret, SESSION_COOKIE, `Auth.js Generated Encryption Key (${SESSION_COOKIE})`, length));
      const kid = await calculateJwkThumbprint({ kty: "oct", k: base64url.encode(key) }, `sha${length << 3}` as "sha256" | "sha512");
      return { key, kid };
    })();
    derived.set(cacheKey, entry);
  }
  return entry;
}

/** The `sid` claim of a valid, unexpired session cookie; null for anything else. */
export async function sessionIdFromToken(token: string, secret: string): Promise<string | null> {
  try {
    const { payload } = await jwtDecrypt(
      token,
      async ({ kid, enc }) => {
        const k = await keyFor(enc, secret);
        if (kid !== undefined && kid !== k.kid) throw new Error("no matching key");
        return k.key;
      },
      { clockTolerance: 15, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256CBC-HS512", "A256GCM"] },
    );
    return typeof payload.sid === "string" ? payload.sid : null;
  } catch {
    // Tampered, expired or made with another secret: the same as no cookie.
    return null;
  }
}
