import type { Capability } from "@/lib/auth/capabilities";

/**
 * Which capability each server action was built with. The role-table test imports every
 * "use server" module and looks its exports up here: an export that is not a door-wrapped action
 * (so has no entry) fails the test, as does an action whose behaviour differs from the table.
 */
const byAction = new WeakMap<object, Capability>();

export function registerAction(action: object, capability: Capability): void {
  byAction.set(action, capability);
}

export function capabilityOfAction(action: unknown): Capability | undefined {
  return typeof action === "function" ? byAction.get(action) : undefined;
}
