import { z } from "zod/mini";
import { secureRoute } from "@/lib/actions/secure-route";
import { chatCaller } from "@/lib/chat/caller";
import { getChatState } from "@/lib/chat/conversations";

export const dynamic = "force-dynamic";

/** What the chat panel shows on open and after a reload (docs/support-chat.md). */
export const GET = secureRoute(
  { schema: z.object({}), capability: "public", httpsOnly: true },
  async (_input, { session }) => getChatState(await chatCaller(session)),
);
