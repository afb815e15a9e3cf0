import "server-only";
import { dictionary } from "@zxcvbn-ts/language-common";
import { fail, type Refusal } from "@/lib/actions/result";

// ~49k passwords seen most often in breaches (shipped inside the npm package, no download).
let common: Set<string> | undefined;

/** True when the password (case-insensitively) is one of the commonly breached passwords. */
function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/**
 * The check every new password passes (registration, reset, change) beyond the schema's length
 * rule: the refusal for a commonly breached one, or null. Server-only because the list is large.
 */
export function refuseCommonPassword(password: string): Refusal | null {
  return isCommonPassword(password) ? fail("chooseAnotherPassword", { password: ["commonPassword"] }) : null;
}
