import { secureRoute } from "@/lib/actions/secure-route";
import { answerProposal } from "@/lib/chat/proposals";
import { proposalAnswerSchema } from "@/lib/chat/schema";

/** Only the signed-in customer the proposal is for can answer it (checked in lib/chat/proposals.ts). */
export const POST = secureRoute(
  { schema: proposalAnswerSchema, capability: "account.own", httpsOnly: true },
  async (input, { session, request }) =>
    answerProposal({ kind: "customer", userId: session.userId, firstName: session.firstName }, input, {
      ip: request.clientIp,
      userAgent: request.userAgent,
    }),
);
