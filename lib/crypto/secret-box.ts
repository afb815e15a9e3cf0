import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { dataEncryptionKey } from "@/lib/env";

/**
 * AES-256-GCM for values the app must keep but never show (full card and bank account numbers).
 * Format: "v1.<iv>.<tag>.<ciphertext>" (base64url). The key comes from DATA_ENCRYPTION_KEY
 * (32 bytes, base64); server.ts generates one into DATA_DIR on the embedded default.
 */
function key(): Buffer {
  // lib/env has already refused a value that is not 32 bytes.
  const raw = dataEncryptionKey();
  if (!raw) throw new Error("DATA_ENCRYPTION_KEY is not set");
  return Buffer.from(raw, "base64");
}

export function encryptSecret(plain: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  // Binding the ciphertext to its owner: a value copied onto another user's row will not decrypt.
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Only for the billing hand-off and tests: the web app never sends a decrypted value anywhere. */
export function decryptSecret(box: string, aad: string): string {
  const [v, iv, tag, data] = box.split(".");
  if (v !== "v1") throw new Error("Unknown ciphertext version");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
