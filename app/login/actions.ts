"use server";

import { cookies } from "next/headers";
import { AuthError } from "next-auth";
import { secureAction } from "@/lib/actions/secure-action-next";
import { fail } from "@/lib/actions/result";
import { signIn } from "@/lib/auth/config";
import { homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { signInSchema } from "@/lib/auth/schema";
import { formatRetryAfter, throttleRetryAfter } from "@/lib/auth/throttle";
import { accountThrottleKey, findUserBySignInName } from "@/lib/auth/verify-credentials";
import { INCORRECT_SIGN_IN_MESSAGE, REMEMBER_COOKIE } from "@/lib/auth/constants";


export const signInAction = secureAction(
  { schema: signInSchema, roles: "public", httpsOnly: true },
  async (input, { request }) => {
    // Checked here as well as in authorize() so a limited attempt can say when to try again;
    // either way it is refused before the password is hashed.
    const user = await findUserBySignInName(input.identifier);
    const wait = await throttleRetryAfter({ account: accountThrottleKey(user, input.identifier), ip: request.clientIp });
    if (wait > 0) {
      return fail(`Too many unsuccessful sign-in attempts. Please try again in ${formatRetryAfter(wait)}.`);
    }
    const jar = await cookies();
    // A functional cookie holding only the username, so the form can be prefilled next time.
    // Path "/": signing out posts to the page the user is on and Next renders /login in that same
    // response, from that request's cookies; a cookie scoped to /login would not be among them.
    if (input.remember) {
      jar.set(REMEMBER_COOKIE, input.identifier, {
        httpOnly: true,
        secure: true,
        sameSite: "lax",
        path: "/",
        maxAge: 365 * 24 * 60 * 60,
      });
    } else {
      jar.delete({ name: REMEMBER_COOKIE, path: "/" });
    }
    const redirectTo = input.next ? safeNextPath(input.next) : homeFor(user?.role ?? "customer");
    try {
      // On success this throws Next's redirect signal, which the door lets through.
      await signIn("credentials", { identifier: input.identifier, password: input.password, redirectTo });
    } catch (err) {
      if (err instanceof AuthError) return fail(INCORRECT_SIGN_IN_MESSAGE);
      throw err;
    }
    return fail(INCORRECT_SIGN_IN_MESSAGE);
  },
);
