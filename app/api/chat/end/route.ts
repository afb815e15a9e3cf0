import { secureRoute } from "@/lib/actions/secure-route";
import { chatCaller } from "@/lib/chat/caller";
import { endChat } from "@/lib/chat/conversations";
import { chatIdSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: chatIdSchema, capability: "public", httpsOnly: true },
  async (input, { session }) => endChat(await chatCaller(session), input.conversationId),
);
