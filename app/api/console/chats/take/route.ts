import { secureRoute } from "@/lib/actions/secure-route";
import { staffCaller } from "@/lib/chat/caller";
import { takeChat } from "@/lib/chat/queue";
import { chatIdSchema } from "@/lib/chat/schema";

/** 409 with "Another representative has already taken this chat" when someone was quicker. */
export const POST = secureRoute(
  { schema: chatIdSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session, request }) => takeChat(staffCaller(session), input.conversationId, request.clientIp),
);
