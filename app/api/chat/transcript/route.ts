import { secureRoute } from "@/lib/actions/secure-route";
import { chatCaller } from "@/lib/chat/caller";
import { mailTranscript } from "@/lib/chat/conversations";
import { chatIdSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: chatIdSchema, capability: "public", httpsOnly: true },
  async (input, { session, request }) =>
    mailTranscript(await chatCaller(session), input.conversationId, request.clientIp),
);
