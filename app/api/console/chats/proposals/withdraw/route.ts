import { secureRoute } from "@/lib/actions/secure-route";
import { staffCaller } from "@/lib/chat/caller";
import { withdrawProposal } from "@/lib/chat/proposals";
import { proposalWithdrawSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: proposalWithdrawSchema, capability: "chats.answer", httpsOnly: true },
  async (input, { session }) => withdrawProposal(staffCaller(session), input.proposalId),
);
