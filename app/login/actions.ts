"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { fail, ok } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { signIn } from "@/lib/auth/config";
import { authSecret } from "@/lib/env";
import { SESSION_COOKIE, sessionIdFromToken } from "@/lib/auth/session-cookie";
import { findActiveSession } from "@/lib/auth/sessions";
import { homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { rememberUsername } from "@/lib/auth/remembered-username";
import { emptySchema, signInSchema } from "@/lib/auth/schema";
import { adoptBrowserTimeZone } from "@/lib/auth/browser-time-zone";
import { findUserBySignInName } from "@/lib/auth/user-lookup";
import { signInWait } from "@/lib/auth/verify-credentials";
import { deviceCookie } from "@/lib/auth/known-device";
import { adoptAccountChoices, grantFunctionalAtSignIn } from "@/lib/cookies/consent";
import { hasSecondFactor } from "@/lib/two-step/factors";
import { passkeyAuthenticationOptions } from "@/lib/two-step/passkeys";
import { passkeySignInWait } from "@/lib/two-step/passkey-sign-in";
import { passkeyResponseSchema } from "@/lib/two-step/schema";
import { z } from "zod/mini";

export const signInAction = secureAction(
  { schema: signInSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // Checked here as well as in authorize() so a limited attempt can say when to try again;
    // either way it is refused before the password is hashed.
    const wait = await signInWait(input.identifier, request.clientIp, await deviceCookie());
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
    // Where the password leads is decided from the database, as verifyCredentials decided the
    // session's stage: with a second factor to the second step, staff without one to enrolment.
    let landing = redirectTo;
    if (user && (await hasSecondFactor(user.id))) {
      landing = input.next ? `/login/verify?next=${encodeURIComponent(safeNextPath(input.next))}` : "/login/verify";
    } else if (user && user.role !== "customer") {
      landing = "/login/enrol";
    }
    if (user) {
      if (!user.timeZone && input.timeZone) await adoptBrowserTimeZone(user.id, input.timeZone);
      // Ticking the box is consent to that one functional cookie, recorded before it is set.
      if (input.remember) await grantFunctionalAtSignIn(user.id, request);
      else await adoptAccountChoices(user.id);
    }
    await rememberUsername(input.remember, input.identifier);
    // Next's redirect signal; the door lets it through.
    redirect(landing);
  },
);

/** Options for "Sign in with a passkey": a discoverable-credential request bound to nobody yet. */
export const passkeySignInOptionsAction = secureAction(
  { schema: emptySchema, capability: "public", httpsOnly: true },
  async () => ok(await passkeyAuthenticationOptions("sign_in", {})),
);

const passkeySignInSchema = z.extend(passkeyResponseSchema, { next: z.optional(z.string().check(z.maxLength(512))) });

/**
 * A passkey is the whole sign-in: Auth.js's "passkey" provider (lib/auth/config.ts) verifies the
 * assertion and makes the same session cookie a password sign-in makes.
 */
export const passkeySignInAction = secureAction(
  { schema: passkeySignInSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // Counted per address (an assertion names no account until verified), so "slow down" rather
    // than the password limit's words: a password reset would not lift this one.
    const wait = await passkeySignInWait(request.clientIp);
    if (wait > 0) return fail({ code: "slowDown", retryAfterSeconds: wait });
    try {
      await signIn("passkey", { response: input.response, redirect: false });
    } catch (err) {
      if (err instanceof AuthError) return fail("passkeyUnknown");
      throw err;
    }
    // The cookie Auth.js just set names the new session, whose role says where home is.
    const token = (await cookies()).get(SESSION_COOKIE)?.value;
    const sid = token ? await sessionIdFromToken(token, authSecret() ?? "") : null;
    const session = sid ? await findActiveSession(sid) : null;
    redirect(input.next ? safeNextPath(input.next) : session ? homeFor(session.role) : "/login");
  },
);
