import { createHmac, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { DEVICE_COOKIE } from "@/lib/auth/known-device";
import { REMEMBER_COOKIE } from "@/lib/auth/remembered-username";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { VISITOR_COOKIE } from "@/lib/chat/conversations";
import { recordPrivacyChoice } from "@/lib/privacy/choices";
import { createUser } from "@/lib/test/factories";
import { accountCookieChoices, effectiveConsent } from "./consent";
import { CONSENT_VERSION, cookieFromHeader, sendsGpc, signConsent, verifyConsent } from "./consent-token";
import { COOKIE_REGISTRY, CONSENT_COOKIE, registeredCookie } from "./registry";

const secret = "consent-test-secret-consent-test-secret-01";
const yes = { functional: true, analytics: true };
const no = { functional: false, analytics: false };
const meta = { ip: "198.51.100.9", userAgent: "Firefox" };

describe("consent cookie", () => {
  it("consent: a genuine cookie reads back as chosen, each choice yes, no or not yet", () => {
    for (const c of [yes, no, { functional: true, analytics: null }, { functional: null, analytics: false }]) {
      expect(verifyConsent(signConsent(c, secret), secret)).toEqual(c);
    }
  });

  it("consent: a forged, altered, foreign or unknown value counts as no consent", () => {
    const genuine = signConsent(no, secret);
    const [version, body, mac] = genuine.split(".");
    const forged = [
      `${version}.yy.${mac}`, // the choice flipped, the old signature kept
      signConsent(yes, "another-secret-another-secret-another-01"), // made with another key
      `${version}.yy.${"A".repeat(22)}`,
      `${CONSENT_VERSION + 1}.${body}.${mac}`, // another version
      "yes",
      "accept-all",
      "1.yy",
      "",
      `${genuine}=`,
      `${genuine.slice(0, -1)}${genuine.endsWith("A") ? "B" : "A"}`,
      "x".repeat(5000),
    ];
    // A correct MAC over an unknown version is still refused.
    const key = Buffer.from(hkdfSync("sha256", secret, "myaccount", "cookie-consent-v1", 32));
    const otherBody = `${CONSENT_VERSION + 1}.yy`;
    forged.push(
      `${otherBody}.${createHmac("sha256", key).update(otherBody).digest().subarray(0, 16).toString("base64url")}`,
    );
    for (const value of forged) {
      const read = verifyConsent(value, secret);
      expect(read, value).toBeNull();
      expect(effectiveConsent(read, null, false)).toMatchObject({
        functional: false,
        analytics: false,
        decided: false,
      });
    }
    expect(verifyConsent(genuine, undefined)).toBeNull();
  });

  it("consent: Sec-GPC: 1 refuses every optional category, whatever the cookie says, and asks nothing", () => {
    expect(sendsGpc("1")).toBe(true);
    expect(sendsGpc(["1"])).toBe(true);
    for (const v of [undefined, null, "0", "", "true"]) expect(sendsGpc(v)).toBe(false);
    const withGpc = effectiveConsent(verifyConsent(signConsent(yes, secret), secret), null, true);
    expect(withGpc).toMatchObject({ functional: false, analytics: false, decided: true, gpc: true, from: "cookie" });
    expect(effectiveConsent(null, null, true)).toMatchObject({ functional: false, analytics: false, decided: true });
    // Without GPC the same cookie allows both; a half-made choice leaves the question open.
    expect(effectiveConsent(yes, null, false)).toMatchObject({ functional: true, analytics: true, decided: true });
    expect(effectiveConsent({ functional: true, analytics: null }, null, false)).toMatchObject({
      functional: true,
      analytics: false,
      decided: false,
    });
  });

  it("consent: the cookie is read out of a raw Cookie header by its exact name", () => {
    const v = signConsent(yes, secret);
    expect(cookieFromHeader(`a=1; ${CONSENT_COOKIE}=${v}; b=2`, CONSENT_COOKIE)).toBe(v);
    expect(cookieFromHeader(`x${CONSENT_COOKIE}=${v}`, CONSENT_COOKIE)).toBeUndefined();
    expect(cookieFromHeader(undefined, CONSENT_COOKIE)).toBeUndefined();
  });

  it("consent: a signed-in customer's stored choices apply when the cookie is absent; the cookie wins when present", async () => {
    const user = await createUser();
    expect(await accountCookieChoices(db, user.id)).toBeNull();
    await db.transaction((tx) =>
      recordPrivacyChoice(tx, {
        userId: user.id,
        choice: "cookies_analytics",
        granted: true,
        source: "banner",
        ...meta,
      }),
    );
    await db.transaction((tx) =>
      recordPrivacyChoice(tx, {
        userId: user.id,
        choice: "area_offers",
        granted: true,
        source: "privacy-centre",
        ...meta,
      }),
    );
    const account = await accountCookieChoices(db, user.id);
    expect(account).toEqual({ functional: null, analytics: true });
    expect(effectiveConsent(null, account, false)).toMatchObject({
      analytics: true,
      functional: false,
      from: "account",
    });
    expect(effectiveConsent(no, account, false)).toMatchObject({ analytics: false, from: "cookie" });
  });

  it("registry: every cookie has a purpose, a category and a lifetime, and names are unique", () => {
    const names = COOKIE_REGISTRY.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of COOKIE_REGISTRY) {
      expect(c.purpose.length).toBeGreaterThan(20);
      expect(["essential", "functional", "analytics"]).toContain(c.category);
      expect(c.lifetime).not.toBe("");
    }
    expect(registeredCookie(CONSENT_COOKIE)?.category).toBe("essential");
    expect(registeredCookie(REMEMBER_COOKIE)?.category).toBe("functional");
    expect(registeredCookie(SESSION_COOKIE)?.category).toBe("essential");
    expect(registeredCookie(VISITOR_COOKIE)?.category).toBe("essential");
    expect(registeredCookie(DEVICE_COOKIE)?.category).toBe("essential");
    expect(registeredCookie("_ga")).toBeUndefined();
  });
});
