import "server-only";
import { cookies } from "next/headers";
import type { ActiveSession } from "@/lib/auth/sessions";
import { VISITOR_COOKIE, participantFor, type Participant } from "./conversations";

/** For route handlers: the caller from the door's session and the visitor cookie. */
export async function chatCaller(session: ActiveSession | null): Promise<Participant> {
  return participantFor(session, (await cookies()).get(VISITOR_COOKIE)?.value);
}

/**
 * The visitor's conversation token: HttpOnly (no script can read it), Secure with the __Host-
 * prefix (this host only, HTTPS only), Lax. Kept a day: long enough for a reload or a lunch
 * break, short enough that a shared computer does not keep it for the next person for long.
 */
export async function setVisitorCookie(token: string): Promise<void> {
  (await cookies()).set(VISITOR_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "lax",
    path: "/",
    maxAge: 24 * 60 * 60,
  });
}

/** A staff member as the chat functions take them (the door has already checked the role). */
export function staffCaller(session: ActiveSession): Extract<Participant, { kind: "staff" }> {
  return { kind: "staff", userId: session.userId, role: session.role, firstName: session.firstName };
}
