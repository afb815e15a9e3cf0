import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Role } from "@/db/schema";
import { authSecret } from "@/lib/env";
import { DatabaseUnavailableError, noteDatabaseError, noteDatabaseUp } from "@/db/availability";
import { SESSION_COOKIE, sessionIdFromToken } from "./session-cookie";
import { findActiveSession, type ActiveSession } from "./sessions";
import { can, type Capability } from "./capabilities";
import { safeNextPath } from "./next-path";

/**
 * The signed-in user for this request, or null. The token's session id is looked up in the
 * sessions table each time (deduplicated per request), so a revoked device is signed out on its
 * next request.
 */
export const currentSession = cache(async (): Promise<ActiveSession | null> => {
  const sid = await sessionIdFromCookie();
  if (!sid) return null;
  try {
    const active = await findActiveSession(sid);
    noteDatabaseUp();
    return active;
  } catch (err) {
    if (noteDatabaseError(err)) throw new DatabaseUnavailableError(err);
    throw err;
  }
});

/**
 * For pages: the user when their role is allowed; otherwise redirect to sign-in (no session)
 * or render the 403 page (wrong role). Every page under /account and /console calls this itself:
 * the proxy is never the only check (CVE-2025-29927).
 */
export async function requirePageUser(capability: StaffOrOwn, path: string): Promise<ActiveSession> {
  const session = await currentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(safeNextPath(path))}`);
  if (!can(session.role, capability)) forbidden();
  return session;
}

/** A page that needs a signed-in user names what it shows, as the role table calls it. */
type StaffOrOwn = Exclude<Capability, "public">;

export function homeFor(role: Role): string {
  return role === "customer" ? "/account" : "/console";
}

/** The session id inside the Auth.js session cookie (see session-cookie.ts), or null. */
async function sessionIdFromCookie(): Promise<string | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const secret = authSecret();
  if (!token || !secret) return null;
  return sessionIdFromToken(token, secret);
}
