import "server-only";
import { dictionary } from "@zxcvbn-ts/language-common";

// ~49k passwords seen most often in breaches (shipped inside the npm package, no download).
let common: Set<string> | undefined;

/** True when the password (case-insensitively) is one of the commonly breached passwords. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}
