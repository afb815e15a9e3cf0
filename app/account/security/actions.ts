"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/db/client";
import { secureAction } from "@/lib/actions/secure-action-next";
import { fail, ok } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { changePassword } from "@/lib/auth/passwords";
import { roles } from "@/lib/auth/roles";
import { changePasswordSchema, emptySchema, revokeSessionSchema } from "@/lib/auth/schema";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";

export const signOutDeviceAction = secureAction(
  { schema: revokeSessionSchema, roles: roles.customer, httpsOnly: true },
  async ({ sessionId }, { session, request }) => {
    const revoked = await db.transaction(async (tx) => {
      const done = await revokeSession(tx, session.userId, sessionId, "signed out from device list");
      if (done) {
        await recordAudit(tx, {
          actorId: session.userId,
          subjectUserId: session.userId,
          action: "auth.device_signed_out",
          detail: { sessionId },
          ip: request.clientIp,
        });
      }
      return done;
    });
    if (!revoked) return fail("That device was already signed out.");
    revalidatePath("/account/security");
    return ok(undefined, "The device was signed out.");
  },
);

export const signOutEverywhereElseAction = secureAction(
  { schema: emptySchema, roles: roles.customer, httpsOnly: true },
  async (_input, { session, request }) => {
    const count = await db.transaction(async (tx) => {
      const n = await revokeOtherSessions(tx, session.userId, session.sessionId, "signed out everywhere else");
      await recordAudit(tx, {
        actorId: session.userId,
        subjectUserId: session.userId,
        action: "auth.signed_out_everywhere_else",
        detail: { sessions: n },
        ip: request.clientIp,
      });
      return n;
    });
    revalidatePath("/account/security");
    return ok(
      undefined,
      count === 0 ? "No other devices were signed in." : `Signed out ${count} other device${count === 1 ? "" : "s"}.`,
    );
  },
);

export const changePasswordAction = secureAction(
  { schema: changePasswordSchema, roles: roles.customer, httpsOnly: true },
  async (input, { session, request }) => {
    const result = await changePassword(input, session, { ip: request.clientIp });
    if (result.ok) revalidatePath("/account/security");
    return result;
  },
);
