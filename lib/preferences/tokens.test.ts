import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TOKEN_TTL_DAYS, dayNumber, signUnsubscribeToken, verifyUnsubscribeToken } from "./tokens";

describe("unsubscribe tokens", () => {
  const userId = randomUUID();

  it("tokens: a fresh token names its person and topic", () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(userId, 1))).toMatchObject({ userId, topicCode: 1 });
  });

  it("tokens: truncated, altered, re-encoded or padded tokens are refused", () => {
    const token = signUnsubscribeToken(userId, 1);
    expect(verifyUnsubscribeToken(token.slice(0, -1))).toBeNull();
    const flipped = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
    expect(verifyUnsubscribeToken(flipped)).toBeNull();
    // The same bytes in standard base64 (when the token has a character that differs there).
    const standardBase64 = token.replace(/-/g, "+").replace(/_/g, "/");
    if (standardBase64 !== token) expect(verifyUnsubscribeToken(standardBase64)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}==`)).toBeNull();
    expect(verifyUnsubscribeToken(` ${token}`)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}=`)).toBeNull();
    expect(verifyUnsubscribeToken(encodeURIComponent(`${token}%`))).toBeNull();
  });

  it("tokens: a token for one topic cannot be turned into another topic's", () => {
    const raw = Buffer.from(signUnsubscribeToken(userId, 1), "base64url");
    raw.writeUInt16BE(2, 17);
    expect(verifyUnsubscribeToken(raw.toString("base64url"))).toBeNull();
  });

  it(`tokens: work for ${TOKEN_TTL_DAYS} days (at least 60), then expire`, () => {
    const today = dayNumber();
    expect(verifyUnsubscribeToken(signUnsubscribeToken(userId, 1, today - 60), today)).not.toBeNull();
    expect(verifyUnsubscribeToken(signUnsubscribeToken(userId, 1, today - TOKEN_TTL_DAYS), today)).not.toBeNull();
    expect(verifyUnsubscribeToken(signUnsubscribeToken(userId, 1, today - TOKEN_TTL_DAYS - 1), today)).toBeNull();
  });
});
