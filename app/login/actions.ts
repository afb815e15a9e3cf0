"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { fail } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { signIn } from "@/lib/auth/config";
import { homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { rememberUsername } from "@/lib/auth/remembered-username";
import { signInSchema } from "@/lib/auth/schema";
import { adoptBrowserTimeZone } from "@/lib/auth/browser-time-zone";
import { findUserBySignInName } from "@/lib/auth/user-lookup";
import { signInWait } from "@/lib/auth/verify-credentials";
import { adoptAccountChoices, grantFunctionalAtSignIn } from "@/lib/cookies/consent";

export const signInAction = secureAction(
  { schema: signInSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // Checked here as well as in authorize() so a limited attempt can say when to try again;
    // either way it is refused before the password is hashed.
    const wait = await signInWait(input.identifier, request.clientIp);
    if (wait.seconds > 0) return fail({ code: "tooManyAttempts", of: "signIn", retryAfterSeconds: wait.seconds });
    const redirectTo = input.next ? safeNextPath(input.next) : homeFor(wait.role ?? "customer");
    try {
      await signIn("credentials", { identifier: input.identifier, password: input.password, redirect: false });
    } catch (err) {
      // Wrong password, unknown name, or a parallel attempt that lost the race to the limit:
      // one answer for all (the next attempt says when to try again).
      if (err instanceof AuthError) return fail("incorrectSignIn");
      throw err;
    }
    const user = await findUserBySignInName(input.identifier);
    if (user) {
      if (!user.timeZone && input.timeZone) await adoptBrowserTimeZone(user.id, input.timeZone);
      // Ticking the box is consent to that one functional cookie, recorded before it is set.
      if (input.remember) await grantFunctionalAtSignIn(user.id, request);
      else await adoptAccountChoices(user.id);
    }
    await rememberUsername(input.remember, input.identifier);
    // Next's redirect signal; the door lets it through.
    redirect(redirectTo);
  },
);
