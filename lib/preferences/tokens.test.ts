import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  TOKEN_TTL_DAYS,
  dayNumber,
  signUnsubscribeToken,
  sqlHmacKeys,
  unsubscribeTokenSql,
  verifyUnsubscribeToken,
} from "./tokens";

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

describe("unsubscribe tokens made in SQL (as the export makes them)", () => {
  /** Tokens made by the database from the pads as session settings, as lib/marketing/export.ts does. */
  async function sqlTokens(cases: { userId: string; topicCode: number }[], issuedDay: number): Promise<string[]> {
    const { ipadHex, opadHex } = sqlHmacKeys();
    const token = unsubscribeTokenSql({ userId: "c.user_id", topicCode: "c.code" }, issuedDay, {
      ipad: `decode(current_setting('test.unsub_ipad'), 'hex')`,
      opad: `decode(current_setting('test.unsub_opad'), 'hex')`,
    });
    return db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('test.unsub_ipad', ${ipadHex}, true), set_config('test.unsub_opad', ${opadHex}, true)`,
      );
      const rows = JSON.stringify(cases.map((c, i) => ({ i, user_id: c.userId, code: c.topicCode })));
      const result = await tx.execute<{ token: string }>(sql`
        select ${sql.raw(token)} as token
        from jsonb_to_recordset(${rows}::jsonb) as c(i int, user_id uuid, code int)
        order by c.i`);
      return result.rows.map((r) => r.token);
    });
  }

  it("tokens: SQL and TypeScript make the identical token, and the verifier accepts it", async () => {
    const today = dayNumber();
    // Edge values of each field: all-zero and all-ones bytes, the largest topic code the SQL form
    // takes, and days whose bytes differ in every position.
    const cases = [
      { userId: randomUUID(), topicCode: 1 },
      { userId: "00000000-0000-0000-0000-000000000000", topicCode: 0 },
      { userId: "ffffffff-ffff-ffff-ffff-ffffffffffff", topicCode: 32767 },
      ...Array.from({ length: 20 }, (_, i) => ({ userId: randomUUID(), topicCode: 255 + i * 1000 })),
    ];
    for (const day of [today, today - TOKEN_TTL_DAYS, 0x01020304]) {
      const made = await sqlTokens(cases, day);
      expect(made).toEqual(cases.map((c) => signUnsubscribeToken(c.userId, c.topicCode, day)));
      if (day === 0x01020304) continue; // far in the future: the verifier rightly refuses it
      made.forEach((token, i) => expect(verifyUnsubscribeToken(token, today)).toEqual({ ...cases[i], issuedDay: day }));
    }
  });
});
