import { secureRoute } from "@/lib/actions/secure-route";
import { chatCaller } from "@/lib/chat/caller";
import { sendMessage } from "@/lib/chat/conversations";
import { chatSendSchema } from "@/lib/chat/schema";

/** The customer's, the visitor's or the assigned rep's message. */
export const POST = secureRoute(
  { schema: chatSendSchema, capability: "public", httpsOnly: true },
  async (input, { session, request }) => sendMessage(await chatCaller(session), input, request.clientIp),
);
