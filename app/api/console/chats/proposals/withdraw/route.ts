import { secureRoute } from "@/lib/actions/secure-route";
import { roles } from "@/lib/auth/roles";
import { staffCaller } from "@/lib/chat/caller";
import { withdrawProposal } from "@/lib/chat/proposals";
import { proposalWithdrawSchema } from "@/lib/chat/schema";

export const POST = secureRoute(
  { schema: proposalWithdrawSchema, roles: roles.support, httpsOnly: true },
  async (input, { session }) => withdrawProposal(staffCaller(session), input.proposalId),
);
