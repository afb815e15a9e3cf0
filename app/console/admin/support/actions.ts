"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/actions/result";
import { secureAction } from "@/lib/actions/secure-action";
import { deleteCannedReply, saveCannedReply } from "@/lib/support/canned-replies";
import { cannedReplyDeleteSchema, cannedReplySchema, supportSettingsSchema } from "@/lib/support/schema";
import { updateSupportSettings } from "@/lib/support/settings-admin";

export const saveSupportSettingsAction = secureAction(
  { schema: supportSettingsSchema, capability: "admin.support", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await updateSupportSettings({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/support");
    return result;
  },
);

export const saveCannedReplyAction = secureAction(
  { schema: cannedReplySchema, capability: "admin.support", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await saveCannedReply({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/support");
    revalidatePath("/console/chats");
    if (!result.ok) return result;
    // The form shows what is stored now: an edit keeps its text with the new version; "Add" empties.
    const values = input.id
      ? { id: result.data.id, version: String(result.data.version), title: result.data.title, body: result.data.body }
      : { id: "", version: "0", title: "", body: "" };
    return ok({ values }, result.message);
  },
);

export const deleteCannedReplyAction = secureAction(
  { schema: cannedReplyDeleteSchema, capability: "admin.support", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await deleteCannedReply({ userId: session.userId, ip: request.clientIp }, input);
    revalidatePath("/console/admin/support");
    revalidatePath("/console/chats");
    return result;
  },
);
