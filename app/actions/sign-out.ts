"use server";

import { ok } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { signOut } from "@/lib/auth/config";
import { emptySchema } from "@/lib/auth/schema";
import { signOutSession } from "@/lib/auth/sign-out";

// The header's "Sign out" (app/layout.tsx hands it to the header, a form that works without JavaScript).
export const signOutAction = secureAction(
  { schema: emptySchema, capability: "session.signOut", httpsOnly: true },
  async (_input, { session, request }) => {
    await signOutSession({ userId: session.userId, sessionId: session.sessionId, ip: request.clientIp });
    // Clears the Auth.js cookie and throws Next's redirect signal, which the door lets through.
    await signOut({ redirectTo: "/login" });
    return ok(undefined);
  },
);
