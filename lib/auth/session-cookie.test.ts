import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EncryptJWT } from "jose";
import { encode } from "next-auth/jwt";
import { SESSION_COOKIE, sessionIdFromToken } from "./session-cookie";

const secret = "session-cookie-test-secret-0123456789abcdef";

describe("session cookie", () => {
  it("session cookie: reads the session id from a token Auth.js made", async () => {
    const token = await encode({
      token: { sid: "11111111-2222-4333-8444-555555555555", sub: "u" },
      secret,
      salt: SESSION_COOKIE,
    });
    expect(await sessionIdFromToken(token, secret)).toBe("11111111-2222-4333-8444-555555555555");
    // Again, from the cached key.
    expect(await sessionIdFromToken(token, secret)).toBe("11111111-2222-4333-8444-555555555555");
  });

  it("session cookie: every part of the token is checked (header, IV, ciphertext, tag)", async () => {
    const token = await encode({ token: { sid: "x-sid" }, secret, salt: SESSION_COOKIE });
    const parts = token.split(".");
    for (const i of [0, 2, 3, 4]) {
      const flipped = [...parts];
      const b = Buffer.from(flipped[i], "base64url");
      b[b.length - 1] ^= 1;
      flipped[i] = b.toString("base64url");
      expect(await sessionIdFromToken(flipped.join("."), secret), `part ${i}`).toBeNull();
    }
    expect(await sessionIdFromToken(token, secret)).toBe("x-sid");
  });

  it("session cookie: another secret, a tampered or an expired token read as no session", async () => {
    const token = await encode({ token: { sid: "x-sid" }, secret, salt: SESSION_COOKIE });
    expect(await sessionIdFromToken(token, `${secret}-other`)).toBeNull();
    expect(await sessionIdFromToken(`${token.slice(0, -4)}AAAA`, secret)).toBeNull();
    const expired = await encode({ token: { sid: "x-sid" }, secret, salt: SESSION_COOKIE, maxAge: -60 });
    expect(await sessionIdFromToken(expired, secret)).toBeNull();
    expect(await sessionIdFromToken("not a token", secret)).toBeNull();
  });

  // Made by hand with the right key, as an attacker who once held the secret (or a bug) could.
  const handMade = async (enc: "A256CBC-HS512" | "A256GCM", claims: Record<string, unknown>, exp?: number) => {
    const key = new Uint8Array(
      hkdfSync(
        "sha256",
        secret,
        SESSION_COOKIE,
        `Auth.js Generated Encryption Key (${SESSION_COOKIE})`,
        enc === "A256GCM" ? 32 : 64,
      ),
    );
    const jwt = new EncryptJWT(claims).setProtectedHeader({ alg: "dir", enc }).setIssuedAt();
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.encrypt(key);
  };

  it.each(["A256CBC-HS512", "A256GCM"] as const)(
    "session cookie: a %s token without exp is refused (fast path and general path alike)",
    async (enc) => {
      const inAnHour = Math.floor(Date.now() / 1000) + 3600;
      expect(await sessionIdFromToken(await handMade(enc, { sid: "x-sid" }, inAnHour), secret)).toBe("x-sid");
      expect(await sessionIdFromToken(await handMade(enc, { sid: "x-sid" }), secret)).toBeNull();
      expect(await sessionIdFromToken(await handMade(enc, { sid: "x-sid", exp: "never" }), secret)).toBeNull();
    },
  );
});
