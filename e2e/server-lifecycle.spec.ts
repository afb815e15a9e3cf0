import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { expect, test } from "@playwright/test";
import { e2e } from "./support/config";

// These start server.ts themselves (embedded PGlite in a temp folder, ports of their own), so
// they run once, in the PGlite variant.
test.skip(() => e2e.db !== "pglite", "runs in the PGlite variant");
test.describe.configure({ mode: "serial" });

const PORT = 3643;
const HTTP_PORT = 3681;

function startServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let out = "";
  const child = spawn(process.execPath, ["--import", "./scripts/node/register.mjs", "server.ts"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

test("config: a bad environment variable stops the start with a message naming it @smoke", async () => {
  const server = startServer({ PORT: "not-a-port", DATA_DIR: mkdtempSync(path.join(tmpdir(), "myaccount-")) });
  expect(await server.exited).toBe(1);
  expect(server.output()).toMatch(/Invalid environment configuration:\s+PORT:/);
});

test("config: DATABASE_URL without AUTH_SECRET is refused @smoke", async () => {
  const server = startServer({
    DATABASE_URL: "postgres://127.0.0.1:1/x",
    AUTH_SECRET: "",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "myaccount-")),
  });
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain("AUTH_SECRET: required when DATABASE_URL is set");
});

test("config: SMTP_URL without APP_URL is refused, so mailed links never point at localhost @smoke", async () => {
  const server = startServer({
    SMTP_URL: "smtp://127.0.0.1:2525",
    APP_URL: "",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "myaccount-")),
  });
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain("APP_URL: required when SMTP_URL is set");
});

test("server: first start makes a sha256 localhost certificate, seeds the demo accounts, and SIGTERM finishes in-flight requests then exits 0 @smoke", async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "myaccount-"));
  const server = startServer({
    PORT: String(PORT),
    HTTP_PORT: String(HTTP_PORT),
    LISTEN_HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    AUTH_SECRET: "",
  });
  try {
    await expect.poll(() => server.output(), { timeout: 90_000, intervals: [500] }).toContain("MyAccount is running");
    expect(server.output()).toMatch(/demo\s+customer, account number 1000000001/);

    // The certificate: made on first start, kept in DATA_DIR, sha256, names localhost and 127.0.0.1.
    const cert = new X509Certificate(readFileSync(path.join(dataDir, "tls", "localhost-cert.pem")));
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    const served = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const socket = tls.connect(
        { host: "127.0.0.1", port: PORT, servername: "localhost", rejectUnauthorized: false },
        () => {
          resolve(socket.getPeerCertificate());
          socket.end();
        },
      );
      socket.on("error", reject);
    });
    expect(served.fingerprint256).toBe(cert.fingerprint256);
    const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: cert.toString(), encoding: "utf8" });
    expect(text).toContain("Signature Algorithm: sha256WithRSAEncryption");
    // AUTH_SECRET was generated into DATA_DIR.
    expect(readFileSync(path.join(dataDir, "auth-secret"), "utf8").length).toBeGreaterThanOrEqual(32);

    // An in-flight request: headers sent only partly before SIGTERM, completed after it.
    const socket = tls.connect({ host: "127.0.0.1", port: PORT, servername: "localhost", rejectUnauthorized: false });
    await new Promise((r) => socket.once("secureConnect", r));
    let response = "";
    socket.on("data", (d) => (response += d));
    socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n");
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill("SIGTERM");
    await expect.poll(() => server.output()).toContain("SIGTERM received");
    socket.write("Connection: close\r\n\r\n");
    await new Promise((r) => socket.once("close", r));
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("Stopped.");
  } finally {
    server.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
