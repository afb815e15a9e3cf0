// Client-safe: the door (server) and the form hook (browser) both decide with it.

/**
 * Fields that may hold a secret: passwords, card and bank numbers (and the routing number that
 * goes with them), tokens, authenticator and recovery codes. They are never echoed back into a
 * re-rendered form, and a form empties them after a save. Matched by name and on purpose broadly:
 * "Name on card" and the register form's account number are caught too; retyping them is the
 * price of never echoing a secret.
 */
const SECRET_FIELD = /password|card|account_?number|routing|token|secret|cvc|cvv|recovery_?code|^code$/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}
