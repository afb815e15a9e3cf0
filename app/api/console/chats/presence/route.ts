import { ok } from "@/lib/actions/result";
import { secureRoute } from "@/lib/actions/secure-route";
import { setAway } from "@/lib/chat/presence";
import { presenceSchema } from "@/lib/chat/schema";

/** "Away" / "Available": an away rep does not count as online for customers. */
export const POST = secureRoute(
  { schema: presenceSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session }) => {
    await setAway(session.userId, input.away);
    return ok(null, input.away ? "You're away: new chats wait for someone else." : "You're available for chats.");
  },
);
