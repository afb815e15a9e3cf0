import { secureRoute } from "@/lib/actions/secure-route";
import { staffCaller } from "@/lib/chat/caller";
import { closeChatByStaff } from "@/lib/chat/queue";
import { chatCloseSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: chatCloseSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session }) => closeChatByStaff(staffCaller(session), input.conversationId, input.reason),
);
