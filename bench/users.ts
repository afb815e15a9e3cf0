/** The customers the sign-in benchmark signs in as (created by bench/prepare-db.ts). */
export function benchUser(i: number) {
  const n = String(i).padStart(2, "0");
  return {
    username: `bench${n}`,
    accountNumber: `90000000${n}`,
    password: `bench-password-2026-${n}`,
  };
}
