import "server-only";
import { cookies } from "next/headers";

/** The functional cookie that remembers the username typed on the sign-in form, and nothing else. */
export const REMEMBER_COOKIE = "myaccount_remember_username";

/**
 * "Remember my username": set after a successful sign-in when ticked, removed when not. Path "/":
 * signing out posts to the page the user is on and Next renders /login in that same response,
 * from that request's cookies; a cookie scoped to /login would not be among them. It is the one
 * functional cookie (lib/cookies/registry.ts): the caller sets it only when the box was ticked,
 * which is itself consent to it (app/login/actions.ts records that consent).
 */
export async function rememberUsername(remember: boolean, identifier: string): Promise<void> {
  const jar = await cookies();
  if (remember) {
    jar.set(REMEMBER_COOKIE, identifier, {
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
      maxAge: 365 * 24 * 60 * 60,
    });
  } else {
    jar.delete({ name: REMEMBER_COOKIE, path: "/" });
  }
}

/** The remembered username for the sign-in form, or "". */
export async function rememberedUsername(): Promise<string> {
  return (await cookies()).get(REMEMBER_COOKIE)?.value?.slice(0, 254) ?? "";
}

/** Removes the remembered username (functional cookies refused). */
export async function forgetRememberedUsername(): Promise<void> {
  const jar = await cookies();
  if (jar.has(REMEMBER_COOKIE)) jar.delete({ name: REMEMBER_COOKIE, path: "/" });
}
