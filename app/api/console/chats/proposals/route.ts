import { secureRoute } from "@/lib/actions/secure-route";
import { staffCaller } from "@/lib/chat/caller";
import { proposeChange } from "@/lib/chat/proposals";
import { proposalSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: proposalSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session }) => proposeChange(staffCaller(session), input),
);
