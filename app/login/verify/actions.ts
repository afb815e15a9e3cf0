"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod/mini";
import { ok } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { signOut } from "@/lib/auth/config";
import { homeFor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/next-path";
import { emptySchema } from "@/lib/auth/schema";
import { passkeyAuthenticationOptions } from "@/lib/two-step/passkeys";
import { authenticatorCodeSchema, passkeyResponseSchema, recoveryCodeSchema } from "@/lib/two-step/schema";
import {
  cancelPartialSession,
  finishSecondStep,
  partialSessionFromCookie,
  type SecondStepMethod,
} from "@/lib/two-step/second-step";

// The door treats a partial session as signed out, so these actions are "public" and read the
// partial session themselves; without one (expired, cancelled, never signed in) they send the
// person back to /login.

const next = { next: z.optional(z.string().check(z.maxLength(512))) };

async function secondStepSession() {
  const { partial, hadCookie } = await partialSessionFromCookie();
  if (!partial || partial.stage !== "second_step") redirect(hadCookie ? "/login?expired=1" : "/login");
  return partial;
}

async function finish(
  method: SecondStepMethod,
  input: { code?: string; response?: unknown; next?: string },
  ip: string,
) {
  const partial = await secondStepSession();
  const outcome = await finishSecondStep(partial, { method, code: input.code, response: input.response }, { ip });
  if (!outcome.ok) return outcome;
  // The cookie stays the same (its session just became full), so Next would keep the layout it
  // rendered for a signed-out visitor (the header's "Sign in"): render everything afresh.
  revalidatePath("/", "layout");
  redirect(input.next ? safeNextPath(input.next) : homeFor(outcome.data.role));
}

export const authenticatorCodeAction = secureAction(
  { schema: z.extend(authenticatorCodeSchema, next), capability: "public", httpsOnly: true },
  async (input, { request }) => finish("authenticator", input, request.clientIp),
);

export const recoveryCodeAction = secureAction(
  { schema: z.extend(recoveryCodeSchema, next), capability: "public", httpsOnly: true },
  async (input, { request }) =>
    finish("recovery_code", { code: input.recoveryCode, next: input.next }, request.clientIp),
);

export const secondStepPasskeyOptionsAction = secureAction(
  { schema: emptySchema, capability: "public", httpsOnly: true },
  async () => {
    const partial = await secondStepSession();
    return ok(
      await passkeyAuthenticationOptions("second_step", { userId: partial.userId, sessionId: partial.sessionId }),
    );
  },
);

export const secondStepPasskeyAction = secureAction(
  { schema: z.extend(passkeyResponseSchema, next), capability: "public", httpsOnly: true },
  async (input, { request }) => {
    let response: unknown;
    try {
      response = JSON.parse(input.response);
    } catch {
      response = null;
    }
    return finish("passkey", { response, next: input.next }, request.clientIp);
  },
);

export const cancelSecondStepAction = secureAction(
  { schema: emptySchema, capability: "public", httpsOnly: true },
  async (_input, { request }) => {
    const { partial } = await partialSessionFromCookie();
    if (partial) await cancelPartialSession(partial, { ip: request.clientIp });
    // Clears the cookie and answers with the redirect.
    await signOut({ redirectTo: "/login" });
    return ok(undefined);
  },
);
