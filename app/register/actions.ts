"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { secureAction } from "@/lib/actions/secure-action";
import { signIn } from "@/lib/auth/config";
import { registerCustomer } from "@/lib/auth/register";
import { registerSchema } from "@/lib/auth/schema";
import { findUserBySignInName } from "@/lib/auth/user-lookup";
import { adoptAccountChoices } from "@/lib/cookies/consent";

export const registerAction = secureAction(
  { schema: registerSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // The schema has already refused anyone who did not confirm they are 13 or older; nothing
    // they typed was stored or logged.
    const result = await registerCustomer(input, { ip: request.clientIp, userAgent: request.userAgent });
    if (!result.ok) return result;
    // Signed in the way the sign-in form does it (a session row, Auth.js's cookie with its usual
    // flags), so nobody has to type the new username again.
    try {
      await signIn("credentials", { identifier: input.username, password: input.password, redirect: false });
    } catch (err) {
      // Only a limit on the address could refuse it: the account exists, so sign-in says so.
      if (err instanceof AuthError) redirect("/login?registered=1");
      throw err;
    }
    const user = await findUserBySignInName(input.username);
    if (user) await adoptAccountChoices(user.id);
    redirect("/account?welcome=1");
  },
);
