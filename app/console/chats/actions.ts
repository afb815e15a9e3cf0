"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import { chatSidePanel, openChatSidePanel } from "@/lib/access/customer-summary";
import { chatAccessSchema, chatPanelSchema } from "@/lib/access/schema";
import { markContactRequestHandled } from "@/lib/contact/queries";
import { contactHandledSchema } from "@/lib/support/schema";

/** The side panel as it can be shown without a new reason (a visitor's details, or a customer under a live grant). */
export const chatSidePanelAction = secureAction(
  { schema: chatPanelSchema, capability: "chats.answer", httpsOnly: true },
  (input, { session }) => chatSidePanel(session, input.conversationId),
);

/** States the reason (audited, then granted) and shows the customer's side panel. */
export const openChatSidePanelAction = secureAction(
  { schema: chatAccessSchema, capability: "chats.answer", httpsOnly: true },
  ({ conversationId, ...reason }, { session, request }) =>
    openChatSidePanel(session, conversationId, reason, request.clientIp),
);

export const markContactHandledAction = secureAction(
  { schema: contactHandledSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await markContactRequestHandled({ userId: session.userId, ip: request.clientIp }, input.id);
    revalidatePath("/console/chats");
    return result;
  },
);
