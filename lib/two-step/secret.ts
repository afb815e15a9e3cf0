import "server-only";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";

/**
 * An authenticator app's shared secret (base32) is kept like a payment number: AES-256-GCM under
 * DATA_ENCRYPTION_KEY, bound to its owner, so a row copied onto another account will not open.
 */
function aad(userId: string): string {
  return `authenticator:${userId}`;
}

export function sealTotpSecret(userId: string, base32Secret: string): string {
  return encryptSecret(base32Secret, aad(userId));
}

export function openTotpSecret(userId: string, box: string): string {
  return decryptSecret(box, aad(userId));
}
