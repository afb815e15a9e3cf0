import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generate } from "selfsigned";

/**
 * AUTH_SECRET on the embedded default: generated once into DATA_DIR (mode 0600) so sessions
 * survive restarts. With DATABASE_URL set the operator must provide it (env.ts enforces that).
 */
export function ensureAuthSecret(dataDir: string): string {
  return ensureGenerated(path.join(dataDir, "auth-secret"), () => randomBytes(32).toString("base64url"));
}

/** DATA_ENCRYPTION_KEY on the embedded default, made the same way (see lib/crypto/secret-box.ts). */
export function ensureDataKey(dataDir: string): string {
  return ensureGenerated(path.join(dataDir, "data-key"), () => randomBytes(32).toString("base64"));
}

function ensureGenerated(file: string, make: () => string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, make(), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

type TlsMaterial = { cert: string; key: string; source: string };

/**
 * TLS_CERT/TLS_KEY when given; otherwise a self-signed certificate for localhost and 127.0.0.1,
 * made on first start (sha256, subjectAltName) and kept in DATA_DIR/tls so browsers can be told
 * to trust it once.
 */
export async function ensureTls(opts: { dataDir: string; certFile?: string; keyFile?: string }): Promise<TlsMaterial> {
  if (opts.certFile && opts.keyFile) {
    return {
      cert: readFileSync(opts.certFile, "utf8"),
      key: readFileSync(opts.keyFile, "utf8"),
      source: opts.certFile,
    };
  }
  const dir = path.join(opts.dataDir, "tls");
  const certPath = path.join(dir, "localhost-cert.pem");
  const keyPath = path.join(dir, "localhost-key.pem");
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const notAfterDate = new Date();
    notAfterDate.setFullYear(notAfterDate.getFullYear() + 1);
    const pems = await generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      algorithm: "sha256",
      notAfterDate,
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: "localhost" },
            { type: 7, ip: "127.0.0.1" },
            { type: 7, ip: "::1" },
          ],
        },
      ],
    });
    writeFileSync(certPath, pems.cert);
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
  }
  return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8"), source: certPath };
}
