"use server";

import { redirect } from "next/navigation";
import { secureAction } from "@/lib/actions/secure-action";
import { registerCustomer } from "@/lib/auth/register";
import { registerSchema } from "@/lib/auth/schema";

export const registerAction = secureAction(
  { schema: registerSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    // The schema has already refused anyone who did not confirm they are 13 or older; nothing
    // they typed was stored or logged.
    const result = await registerCustomer(input, { ip: request.clientIp, userAgent: request.userAgent });
    if (!result.ok) return result;
    redirect("/login?registered=1");
  },
);
