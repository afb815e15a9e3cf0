"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import { lawfulActions } from "@/lib/lawful/actions";

export const recordLawfulRequestAction = secureAction(lawfulActions.record.options, async (input, ctx) => {
  const result = await lawfulActions.record.handler(input, ctx);
  revalidatePath("/console/admin/lawful");
  return result;
});
