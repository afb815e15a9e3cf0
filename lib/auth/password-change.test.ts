import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, mailOutbox } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { createUser } from "@/lib/test/factories";
import { changePassword } from "./password-change";
import { createSession, findActiveSession } from "./sessions";

describe("change password", () => {
  it("password: a change needs the current password and signs out the other devices only", async () => {
    const user = await createUser();
    const here = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const other = await createSession(db, { userId: user.id, userAgent: "", ip: "" });

    const wrong = await changePassword(
      { currentPassword: "nope", password: "a fresh long passphrase" },
      { userId: user.id, sessionId: here },
      { ip: "" },
    );
    expect(inWords(wrong)).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: ["The current password is incorrect"] },
    });
    expect(await findActiveSession(other)).not.toBeNull();

    const common = await changePassword(
      { currentPassword: user.password, password: "iloveyou1" },
      { userId: user.id, sessionId: here },
      { ip: "" },
    );
    expect(inWords(common)).toMatchObject({
      ok: false,
      fieldErrors: { password: [expect.stringContaining("too common")] },
    });

    const done = await changePassword(
      { currentPassword: user.password, password: "a fresh long passphrase" },
      { userId: user.id, sessionId: here },
      { ip: "" },
    );
    expect(done).toMatchObject({ ok: true });
    expect(await findActiveSession(here)).not.toBeNull();
    expect(await findActiveSession(other)).toBeNull();
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "auth.password_changed")));
    expect(audits[0].detail).toEqual({ otherSessionsSignedOut: 1 });
    const notices = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    expect(notices.map((m) => m.subject)).toContain("Your MyAccount password was changed");
  });
});
