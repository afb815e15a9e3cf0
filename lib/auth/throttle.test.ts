import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { mailOutbox, sessions } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { env } from "@/lib/env";
import { createUser, randomName } from "@/lib/test/factories";
import { changePassword } from "./password-change";
import { requestPasswordReset } from "./password-reset";
import { registerCustomer } from "./register";
import { registerSchema } from "./schema";
import { createSession } from "./sessions";
import { verifyCredentials } from "./verify-credentials";

const randomIp = () => `100.64.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("limits on guessing", () => {
  it("limits: parallel wrong passwords cannot slip past the account's free failures (counted before hashing)", async () => {
    const user = await createUser();
    const free = env().LOGIN_FREE_FAILURES_PER_ACCOUNT;
    const results = await Promise.all(
      Array.from({ length: free + 7 }, (_, i) =>
        verifyCredentials({ identifier: user.username, password: `wrong-${i}`, ip: randomIp(), userAgent: "" }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(free);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(7);
    // A delay, not a lock: the first wait is the base delay.
    expect(
      await verifyCredentials({ identifier: user.username, password: user.password, ip: randomIp(), userAgent: "" }),
    ).toMatchObject({
      reason: "rate_limited",
      retryAfterSeconds: expect.toSatisfy((s: number) => s > 0 && s <= env().LOGIN_DELAY_BASE_SECONDS),
    });
  });

  it("limits: account number + ZIP guessing is limited per address", async () => {
    const ip = randomIp();
    const guess = () => {
      const username = randomName("guess");
      return registerCustomer(
        registerSchema.parse({
          accountNumber: "9999999999",
          serviceZip: "00000",
          username,
          email: `${username}@example.test`,
          password: "a long and unusual passphrase",
          confirmPassword: "a long and unusual passphrase",
          over13: "on",
        }),
        { ip },
      );
    };
    for (let i = 0; i < 10; i++)
      expect(inWords(await guess())).toMatchObject({ formError: expect.stringContaining("couldn't match") });
    expect(inWords(await guess())).toMatchObject({
      formError: expect.stringMatching(/^Too many unsuccessful registration attempts/),
    });
  });

  it("limits: reset mail to one account is limited, with the same answer", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) await requestPasswordReset(user.username, { ip: randomIp() });
    const mails = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, user.email), eq(mailOutbox.subject, "Reset your MyAccount password")));
    expect(mails).toHaveLength(3);
  });

  it("limits: wrong current passwords are limited per user, so a stolen session cannot guess", async () => {
    const user = await createUser();
    const here = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    for (let i = 0; i < 5; i++) {
      expect(
        inWords(
          await changePassword(
            { currentPassword: `guess-${i}`, password: "a fresh long passphrase" },
            { userId: user.id, sessionId: here },
            { ip: "" },
          ),
        ),
      ).toMatchObject({
        fieldErrors: { currentPassword: ["The current password is incorrect"] },
      });
    }
    const limited = await changePassword(
      { currentPassword: user.password, password: "a fresh long passphrase" },
      { userId: user.id, sessionId: here },
      { ip: "" },
    );
    expect(inWords(limited)).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/^Too many unsuccessful password attempts/),
    });
    expect(await db.select().from(sessions).where(eq(sessions.id, here))).toHaveLength(1);
  });
});
