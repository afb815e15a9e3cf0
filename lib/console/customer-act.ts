import "server-only";
import type * as zcore from "zod/v4/core";
import type { ActionContext } from "@/lib/actions/door";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import type { StaffActor } from "@/lib/access/grants";
import { can } from "@/lib/auth/capabilities";
import { emptySchema } from "@/lib/auth/schema";
import { sendPasswordResetFor } from "@/lib/auth/password-reset";
import { preferencesSchema } from "@/lib/preferences/schema";
import { savePreferences } from "@/lib/preferences/update";
import { cancelEmailChange, requestEmailChangeForCustomer, resendEmailChange } from "@/lib/profile/email-change";
import { addressSchema, nameSchema, paymentSchema, phoneSchema } from "@/lib/profile/schema";
import { sectionLabels, type ProfileActor, type Section } from "@/lib/profile/sections";
import { savePaymentMethod, updateAddresses, updateName, updatePhone } from "@/lib/profile/update";
import { grantInWords } from "./customer";
import { onBehalfEmailSchema } from "./customer-schema";

/** The customer's record as a rep changes it: the grant's reason, in words, goes with every change. */
export type OnBehalfActor = ProfileActor & { reason: string; userAgent: string };

/**
 * The first question of every on-behalf action: may this staff member act for customers (the role
 * table: reps; an admin's customer page is read-only), and do they hold a live grant for exactly
 * this customer? Otherwise nothing is read or written. The grant's reason becomes the reason of
 * the change, which the customer reads in their account activity.
 */
export async function actForCustomer<T>(
  staff: StaffActor,
  customerId: string,
  request: { clientIp: string; userAgent: string },
  work: (actor: OnBehalfActor) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  if (!can(staff.role, "customers.actFor")) return fail("forbidden");
  const grant = await grantInWords(staff.userId, customerId);
  if (!grant) return fail("accessReasonRequired");
  return work({
    userId: customerId,
    actorId: staff.userId,
    ip: request.clientIp,
    userAgent: request.userAgent,
    reason: grant.reasonInWords,
  });
}

/** A profile save's confirmation from the rep's side ("Your phone number…" is the customer's wording). */
function forTheCustomer<T>(section: Section, result: Outcome<T>): Outcome<T> {
  if (!result.ok) return result;
  const label = sectionLabels[section];
  return ok(result.data, `The customer's ${label} was saved; they get an e-mail saying it changed.`);
}

type Ctx = ActionContext<"customers.actFor">;

/** One on-behalf action: its form's schema and what it does, after `actForCustomer`'s checks. */
type OnBehalf<S extends zcore.$ZodType, T> = {
  schema: S;
  handler: (customerId: string, input: zcore.output<S>, ctx: Ctx) => Promise<Outcome<T>>;
};

function onBehalf<S extends zcore.$ZodType, T>(
  schema: S,
  work: (actor: OnBehalfActor, input: zcore.output<S>) => Promise<Outcome<T>>,
): OnBehalf<S, T> {
  return {
    schema,
    handler: (customerId, input, ctx) =>
      actForCustomer(ctx.session, customerId, ctx.request, (actor) => work(actor, input)),
  };
}

/** The door of every on-behalf action (app/console/customers/[id]/actions.ts). */
export const ON_BEHALF_DOOR = { capability: "customers.actFor", httpsOnly: true } as const;

/**
 * Everything a rep may do for a customer, through the same domain functions (and version checks)
 * as the customer's own Edit Profile. The page's actions are built from this table, and the tests
 * walk it, so no on-behalf action can skip the checks.
 */
export const onBehalfActions = {
  name: onBehalf(nameSchema, async (actor, input) => forTheCustomer("name", await updateName(actor, input))),
  address: onBehalf(addressSchema, async (actor, input) =>
    forTheCustomer("address", await updateAddresses(actor, input)),
  ),
  phone: onBehalf(phoneSchema, async (actor, input) => forTheCustomer("phone", await updatePhone(actor, input))),
  payment: onBehalf(paymentSchema, async (actor, input) =>
    forTheCustomer("payment", await savePaymentMethod(actor, input)),
  ),
  /** The link goes to the new address: the address changes only when the customer follows it. */
  emailChange: onBehalf(onBehalfEmailSchema, async (actor, input) => {
    const result = await requestEmailChangeForCustomer(actor, input);
    return result.ok
      ? ok(
          result.data,
          `A confirmation link was sent to ${input.newEmail}. The address changes when the customer follows it.`,
        )
      : result;
  }),
  emailResend: onBehalf(emptySchema, (actor) => resendEmailChange(actor)),
  emailCancel: onBehalf(emptySchema, (actor) => cancelEmailChange(actor)),
  /** A consent change the customer asked for: ledger source "rep", the reason in the audit trail. */
  preferences: onBehalf(preferencesSchema, async (actor, input) => {
    const result = await savePreferences({ ...actor, source: "rep" }, input);
    if (!result.ok) return result;
    return ok(
      result.data,
      result.data.changed.length
        ? `The customer's e-mail choices were recorded (${result.data.changed.join("; ")}).`
        : "No changes — the customer's e-mail choices are as they were.",
    );
  }),
  /** A reset link to the address on file; the rep never sees or sets a password. */
  passwordReset: onBehalf(emptySchema, (actor) => sendPasswordResetFor(actor.userId, actor)),
};

export type OnBehalfAction = keyof typeof onBehalfActions;
