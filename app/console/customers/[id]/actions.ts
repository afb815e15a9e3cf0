"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { accessReasonSchema } from "@/lib/access/schema";
import { customerAction } from "@/lib/actions/customer-action";
import type { ActionContext } from "@/lib/actions/door";
import type { Outcome } from "@/lib/actions/result";
import { openCustomer } from "@/lib/console/customer";
import { ON_BEHALF_DOOR, onBehalfActions } from "@/lib/console/customer-act";

// Every action here is bound to one customer by the page (`action.bind(null, customerId)`); the id
// is never a permission: each one checks the caller's grant for exactly that customer first.

/** States the reason: audited and granted (lib/access/grants.ts) before the page reads anything personal. */
export const openCustomerAction = customerAction(
  { schema: accessReasonSchema, capability: "customers.view", httpsOnly: true },
  async (customerId, input, { session, request }) => {
    const result = await openCustomer(session, customerId, input, request.clientIp);
    if (result.ok) redirect(`/console/customers/${customerId}`);
    return result;
  },
);

type Ctx = ActionContext<"customers.actFor">;

/** The page shows what is stored now after every on-behalf action, refused or not. */
function refreshed<I, T>(handler: (customerId: string, input: I, ctx: Ctx) => Promise<Outcome<T>>) {
  return async (customerId: string, input: I, ctx: Ctx): Promise<Outcome<T>> => {
    const result = await handler(customerId, input, ctx);
    revalidatePath(`/console/customers/${customerId}`);
    return result;
  };
}

const a = onBehalfActions;

export const updateNameForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.name.schema },
  refreshed(a.name.handler),
);
export const updateAddressForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.address.schema },
  refreshed(a.address.handler),
);
export const updatePhoneForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.phone.schema },
  refreshed(a.phone.handler),
);
export const savePaymentForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.payment.schema },
  refreshed(a.payment.handler),
);
export const requestEmailChangeForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.emailChange.schema },
  refreshed(a.emailChange.handler),
);
export const resendEmailChangeForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.emailResend.schema },
  refreshed(a.emailResend.handler),
);
export const cancelEmailChangeForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.emailCancel.schema },
  refreshed(a.emailCancel.handler),
);
export const savePreferencesForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.preferences.schema },
  refreshed(a.preferences.handler),
);
export const sendPasswordResetForCustomer = customerAction(
  { ...ON_BEHALF_DOOR, schema: a.passwordReset.schema },
  refreshed(a.passwordReset.handler),
);
