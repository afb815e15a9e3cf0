"use server";

import { redirect } from "next/navigation";
import { z } from "zod/mini";
import { secureAction } from "@/lib/actions/secure-action";
import { emptySchema } from "@/lib/auth/schema";
import {
  confirmStaffAuthenticator,
  saveStaffPasskey,
  staffPasskeyOptions,
  startStaffAuthenticator,
} from "@/lib/two-step/enrol";
import { authenticatorCodeSchema, passkeyEnrolSchema } from "@/lib/two-step/schema";
import { partialSessionFromCookie } from "@/lib/two-step/second-step";

// Public to the door (an "enrol" session is partial, so signed out to it); each action reads the
// partial session itself and lib/two-step/enrol.ts refuses anything but staff in that stage.

async function enrolSession() {
  const { partial, hadCookie } = await partialSessionFromCookie();
  if (!partial || partial.stage !== "enrol") redirect(hadCookie ? "/login?expired=1" : "/login");
  return partial;
}

export const startAuthenticatorAction = secureAction(
  { schema: emptySchema, capability: "public", httpsOnly: true },
  async () => startStaffAuthenticator(await enrolSession()),
);

export const confirmAuthenticatorAction = secureAction(
  { schema: authenticatorCodeSchema, capability: "public", httpsOnly: true },
  async (input, { request }) => confirmStaffAuthenticator(await enrolSession(), input.code, { ip: request.clientIp }),
);

export const enrolPasskeyOptionsAction = secureAction(
  { schema: emptySchema, capability: "public", httpsOnly: true },
  async () => staffPasskeyOptions(await enrolSession()),
);

export const enrolPasskeyAction = secureAction(
  { schema: z.extend(passkeyEnrolSchema, {}), capability: "public", httpsOnly: true },
  async (input, { request }) => {
    let response: unknown;
    try {
      response = JSON.parse(input.response);
    } catch {
      response = null;
    }
    return saveStaffPasskey(await enrolSession(), { response, name: input.name }, { ip: request.clientIp });
  },
);
