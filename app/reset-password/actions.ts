"use server";

import { redirect } from "next/navigation";
import { secureAction } from "@/lib/actions/secure-action";
import { deviceCookie, setDeviceCookie } from "@/lib/auth/known-device";
import { resetPassword } from "@/lib/auth/password-reset";
import { resetPasswordSchema } from "@/lib/auth/schema";

export const resetPasswordAction = secureAction(
  { schema: resetPasswordSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => {
    const result = await resetPassword(input, { ip: request.clientIp, deviceCookie: await deviceCookie() });
    if (!result.ok) return result;
    await setDeviceCookie(result.data.deviceCookie);
    redirect("/login?reset=1");
  },
);
