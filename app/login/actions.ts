"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { secureAction } from "@/lib/actions/secure-action-next";
import { fail } from "@/lib/actions/result";
import { signIn } from "@/lib/auth/config";
import { homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { signInSchema } from "@/lib/auth/schema";
import { retryAfter, signInLimits, tooManyAttempts } from "@/lib/auth/throttle";
import { accountThrottleKey, findUserBySignInName } from "@/lib/auth/verify-credentials";
import { INCORRECT_SIGN_IN_MESSAGE, REMEMBER_COOKIE } from "@/lib/auth/constants";

export const signInAction = secureAction(
  { schema: signInSchema, roles: "public", httpsOnly: true },
  async (input, { request }) => {
    // Checked here as well as in authorize() so a limited attempt can say when to try again;
    // either way it is refused before the password is hashed.
    const user = await findUserBySignInName(input.identifier);
    const limits = signInLimits({ account: accountThrottleKey(user, input.identifier), ip: request.clientIp });
    const wait = await retryAfter(limits);
    if (wait > 0) return fail(tooManyAttempts(wait, "sign-in attempts"));
    const redirectTo = input.next ? safeNextPath(input.next) : homeFor(user?.role ?? "customer");
    try {
      await signIn("credentials", { identifier: input.identifier, password: input.password, redirect: false });
    } catch (err) {
      // Wrong password, unknown name, or a parallel attempt that lost the race to the limit:
      // one answer for all (the next attempt says when to try again).
      if (err instanceof AuthError) return fail(INCORRECT_SIGN_IN_MESSAGE);
      throw err;
    }
    await rememberUsername(input.remember, input.identifier);
    // Next's redirect signal; the door lets it through.
    redirect(redirectTo);
  },
);

/**
 * "Remember my username": a functional cookie holding only the username, set after a successful
 * sign-in. Path "/": signing out posts to the page the user is on and Next renders /login in that
 * same response, from that request's cookies; a cookie scoped to /login would not be among them.
 */
async function rememberUsername(remember: boolean, identifier: string) {
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
