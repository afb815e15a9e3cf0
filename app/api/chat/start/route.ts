import { ok } from "@/lib/actions/result";
import { secureRoute } from "@/lib/actions/secure-route";
import { chatCaller, setVisitorCookie } from "@/lib/chat/caller";
import { startChat } from "@/lib/chat/conversations";
import { chatStartSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: chatStartSchema, capability: "public", httpsOnly: true },
  async (input, { session, request }) => {
    const result = await startChat(await chatCaller(session), input, request.clientIp);
    if (!result.ok) return result;
    // The token goes only into the HttpOnly cookie, never into the JSON.
    if (result.data.visitorToken) await setVisitorCookie(result.data.visitorToken);
    return ok({ conversationId: result.data.conversationId });
  },
);
