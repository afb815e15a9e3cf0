"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import { policyActions } from "@/lib/policy/actions";

function refreshed<I, C, R>(handler: (input: I, ctx: C) => Promise<R>) {
  return async (input: I, ctx: C) => {
    const result = await handler(input, ctx);
    revalidatePath("/", "layout");
    return result;
  };
}

export const startPolicyDraftAction = secureAction(
  policyActions.startDraft.options,
  refreshed(policyActions.startDraft.handler),
);
export const savePolicyDraftAction = secureAction(
  policyActions.saveDraft.options,
  refreshed(policyActions.saveDraft.handler),
);
export const publishPolicyAction = secureAction(
  policyActions.publish.options,
  refreshed(policyActions.publish.handler),
);
export const withdrawPolicyAction = secureAction(
  policyActions.withdraw.options,
  refreshed(policyActions.withdraw.handler),
);
