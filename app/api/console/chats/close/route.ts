import { secureRoute } from "@/lib/actions/secure-route";
import { roles } from "@/lib/auth/roles";
import { staffCaller } from "@/lib/chat/caller";
import { closeChatByStaff } from "@/lib/chat/queue";
import { chatCloseSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: chatCloseSchema, roles: roles.support, httpsOnly: true },
  async (input, { session }) => closeChatByStaff(staffCaller(session), input.conversationId, input.reason),
);
