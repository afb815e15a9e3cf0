import { and, eq } from "drizzle-orm";
import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox, recoveryCodes, sessions } from "@/db/schema";
import { createSession, findActiveSession, findPartialSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { confirmStaffAuthenticator, startStaffAuthenticator } from "./enrol";

const meta = { ip: "198.51.100.9" };

async function enrolSession(userId: string) {
  const sid = await createSession(db, { userId, userAgent: "test", ip: meta.ip, stage: "enrol" });
  return (await findPartialSession(sid))!;
}

describe("staff enrolment at sign-in", () => {
  it("enrol: a staff member without a factor sets up an app; the session opens, ten codes are issued, audited and mailed", async () => {
    const user = await createUser({ role: "rep", twoStep: false });
    const partial = await enrolSession(user.id);
    expect(await findActiveSession(partial.sessionId)).toBeNull();
    const started = await startStaffAuthenticator(partial);
    if (!started.ok) throw new Error("not started");
    const totp = new TOTP({ secret: started.data.secret, digits: 6, period: 30, algorithm: "SHA1" });

    const wrong = totp.generate() === "000000" ? "111111" : "000000";
    expect(await confirmStaffAuthenticator(partial, wrong, meta)).toMatchObject({
      ok: false,
      error: "twoStepCodeWrong",
    });
    expect(await findActiveSession(partial.sessionId)).toBeNull();

    const done = await confirmStaffAuthenticator(partial, totp.generate(), meta);
    if (!done.ok) throw new Error(JSON.stringify(done));
    expect(done.data.recoveryCodes).toHaveLength(10);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(10);
    const [row] = await db.select().from(sessions).where(eq(sessions.id, partial.sessionId));
    expect(row).toMatchObject({ stage: "full", verifiedBy: "password+authenticator" });
    expect(await findActiveSession(partial.sessionId)).toMatchObject({ userId: user.id, role: "rep" });
    const enrolled = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "two_step.enrolled")));
    expect(enrolled).toHaveLength(1);
    const mail = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    expect(mail.map((m) => m.subject)).toContain("Two-step sign-in was set up on your MyAccount staff account");
    expect(mail.find((m) => m.subject.startsWith("Two-step"))?.textBody).toContain("/not-me?token=");

    // Once full, the enrolment cannot be run again with this session.
    expect(await startStaffAuthenticator(await findPartialSession(partial.sessionId))).toMatchObject({
      ok: false,
      error: "twoStepSignInExpired",
    });
  });

  it("enrol: a customer, or a session in the second-step stage, is refused", async () => {
    const customer = await createUser();
    const sid = await createSession(db, { userId: customer.id, userAgent: "", ip: "", stage: "enrol" });
    expect(await startStaffAuthenticator(await findPartialSession(sid))).toMatchObject({
      ok: false,
      error: "twoStepSignInExpired",
    });
    const rep = await createUser({ role: "rep", twoStep: false });
    const second = await createSession(db, { userId: rep.id, userAgent: "", ip: "", stage: "second_step" });
    expect(await startStaffAuthenticator(await findPartialSession(second))).toMatchObject({ ok: false });
  });
});
