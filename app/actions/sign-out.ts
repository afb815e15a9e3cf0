"use server";

import { db } from "@/db/client";
import { secureAction } from "@/lib/actions/secure-action-next";
import { recordAudit } from "@/lib/audit/record";
import { signOut } from "@/lib/auth/config";
import { emptySchema } from "@/lib/auth/schema";
import { revokeSession } from "@/lib/auth/sessions";
import { roles } from "@/lib/auth/roles";

export const signOutAction = secureAction(
  { schema: emptySchema, roles: roles.anySignedIn, httpsOnly: true },
  async (_input, { session, request }) => {
    await db.transaction(async (tx) => {
      await revokeSession(tx, session.userId, session.sessionId, "signed out");
      await recordAudit(tx, {
        actorId: session.userId,
        subjectUserId: session.userId,
        action: "auth.sign_out",
        ip: request.clientIp,
      });
    });
    await signOut({ redirectTo: "/login" });
    return { ok: true, data: undefined };
  },
);
