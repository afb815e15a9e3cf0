import type { Capability } from "@/lib/auth/capabilities";

/** How the role walk calls an action with a plain input object. */
export type ActionInvoker = (input: Record<string, unknown>) => Promise<unknown>;

type Entry = { capability: Capability; invoke?: (action: never, input: Record<string, unknown>) => Promise<unknown> };

/**
 * Which capability each server action was built with. The role-table test
 * (lib/auth/roles-table.test.ts) imports every "use server" module and looks its exports up here:
 * an export without an entry (not built through the door) fails the test, and so does an action
 * that lets a role in (or keeps one out) against the table.
 *
 * `invoke` says how to call the action when its signature is not `(previousState, input)`, e.g. an
 * action with a bound first argument `(customerId, previousState, input)`.
 */
const byAction = new WeakMap<object, Entry>();

export function registerAction<A extends object>(
  action: A,
  capability: Capability,
  invoke?: (action: A, input: Record<string, unknown>) => Promise<unknown>,
): void {
  byAction.set(action, { capability, invoke });
}

export function capabilityOfAction(action: unknown): Capability | undefined {
  return typeof action === "function" ? byAction.get(action)?.capability : undefined;
}

/** Calls a registered action with `input` the way a form would. */
export function invokeRegisteredAction(action: object, input: Record<string, unknown>): Promise<unknown> {
  const entry = byAction.get(action);
  if (entry?.invoke) return entry.invoke(action as never, input);
  return (action as (previous: unknown, input: Record<string, unknown>) => Promise<unknown>)(null, input);
}
