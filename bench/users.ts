/** The customers the sign-in benchmark signs in as (created by bench/prepare-db.ts). */
export function benchUser(i: number) {
  const n = String(i).padStart(2, "0");
  return {
    username: `bench${n}`,
    accountNumber: `90000000${n}`,
    password: `bench-password-2026-${n}`,
  };
}

/**
 * Part 9's customers, numbered apart from the others: authenticator-app customers from 101 (one
 * per sign-in: codes are single-use per account and step), passkey customers from 201.
 */
export const TWO_STEP_TOTP_FIRST = 101;
export const TWO_STEP_PASSKEY_FIRST = 201;
