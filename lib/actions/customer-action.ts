import "server-only";
import type * as zcore from "zod/v4/core";
import type { Capability } from "@/lib/auth/capabilities";
import { currentSession } from "@/lib/auth/current";
import type { ActiveSession } from "@/lib/auth/sessions";
import { requestContext, type RequestContext } from "@/lib/http/request-context";
import { runSecureAction, type ActionContext, type SecureActionOptions } from "./door";
import { registerAction } from "./registry";
import { fail, type ActionResult, type Outcome } from "./result";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value can be a user id (anything else would make Postgres throw on the uuid column). */
export function isUserId(value: unknown): value is string {
  return typeof value === "string" && uuidPattern.test(value);
}

/** A well-formed id that names no user (the role walk's customer). */
const NO_CUSTOMER = "00000000-0000-4000-8000-000000000000";

/** A handler for one customer's record: the customer's id comes first, bound by the page. */
export type CustomerHandler<S extends zcore.$ZodType, T, C extends Capability> = (
  customerId: string,
  input: zcore.output<S>,
  ctx: ActionContext<C>,
) => Promise<Outcome<T>>;

type DoorDeps = {
  request: () => Promise<RequestContext>;
  session: () => Promise<ActiveSession | null>;
};

/**
 * The door (HTTPS → session → role → zod, see door.ts) for an action about one customer. The id
 * is checked for shape only; whose record it is and whether the caller may touch it (an access
 * grant) is the handler's first question. Exported so tests can run it with their own session.
 */
export function runCustomerAction<S extends zcore.$ZodType, T, C extends Capability>(
  options: SecureActionOptions<S, C>,
  handler: CustomerHandler<S, T, C>,
  customerId: unknown,
  input: FormData | Record<string, unknown> | undefined,
  deps: DoorDeps,
): Promise<ActionResult<T>> {
  return runSecureAction(
    options,
    (parsed, ctx) =>
      isUserId(customerId) ? handler(customerId, parsed, ctx) : Promise.resolve(fail("accessNoCustomer")),
    input ?? {},
    deps,
  );
}

/**
 * Like `secureAction`, for a page about one customer: the page binds the customer's id
 * (`action.bind(null, customerId)`) and hands the result to a form as its action, which then works
 * with `useActionState` and with JavaScript off alike. A bound id is only what the page asked
 * for, never a permission: a client can call the action with any id, so the handler checks.
 * Registered with its capability, so the role-walk test finds it among the "use server" exports.
 */
export function customerAction<S extends zcore.$ZodType, T, C extends Capability>(
  options: SecureActionOptions<S, C>,
  handler: CustomerHandler<S, T, C>,
) {
  const action = async (
    customerId: string,
    _previous: unknown,
    input: FormData | Record<string, unknown>,
  ): Promise<ActionResult<T>> =>
    runCustomerAction(options, handler, customerId, input, { request: requestContext, session: currentSession });
  // The role walk calls it for no customer in particular: the id names nobody, so a caller the
  // role table lets in meets the handler's own refusal (no grant, no customer) and writes nothing.
  registerAction(action, options.capability, (a, input) => a(NO_CUSTOMER, null, input));
  return action;
}
