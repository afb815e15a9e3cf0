/**
 * `npm run test:external`: outside tools against the production server (docs/security-tools.md).
 *
 * The production build (NEXT_DIST_DIR, else `.next`; built first when it has no BUILD_ID) runs as
 * server.ts on a throwaway Postgres database with the demo seed. Then:
 * - sqlmap (Debian package) at --level 2 against the sign-in form (the server action POST to /login,
 *   its hidden action fields and Origin as a browser sends them), the console's customer search
 *   (a demo staff session: password, then an authenticator code from the demo secret) and the
 *   one-click unsubscribe (POST /u/<token>, a real token of a demo customer);
 * - testssl.sh against the HTTPS port: protocols, cipher categories and the vulnerability checks
 *   (BREACH among them);
 * - `npm audit --omit=dev` (when the registry answers it) and the licence check (`npm run licences`).
 *
 * Prints a summary; every tool's log is kept in the temporary folder it names. Exits 1 on an
 * injection sqlmap found (or no verdict from it), a testssl.sh finding above LOW other than the
 * development certificate's expected ones and BREACH (reported and explained in
 * docs/security-tools.md), an npm audit advisory of high or critical severity, or a failed licence
 * check; exits 2 when sqlmap or testssl.sh is missing, with the command that installs them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, dropTestDatabase, postgresReachable } from "../lib/test/pg-admin";
import { AUTH_SECRET, startAppServer, type AppServer } from "../e2e/support/app-server";

const PORT = Number(process.env.EXTERNAL_PORT) || 4400;
const HTTP_PORT = PORT + 1;
const QUICK = process.env.EXTERNAL_QUICK === "1";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}
const TESTSSL = ["testssl", "testssl.sh"].find(has);
if (!has("sqlmap") || !TESTSSL) {
  console.error(
    "test:external needs sqlmap and testssl.sh. Install them with:\n  sudo apt-get install -y sqlmap testssl.sh",
  );
  process.exit(2);
}
if (!(await postgresReachable())) {
  console.error("test:external: the Postgres server at 127.0.0.1:5432 is not reachable");
  process.exit(2);
}

process.env.NEXT_DIST_DIR ||= ".next";
const DIST_DIR = process.env.NEXT_DIST_DIR;
if (!existsSync(path.join(DIST_DIR, "BUILD_ID"))) {
  console.log(`test:external: no production build in ${DIST_DIR}; building it (next build)…`);
  const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
  if (built.status !== 0) process.exit(1);
}
// The same secret as the server, so this process can sign a real unsubscribe token.
process.env.AUTH_SECRET = AUTH_SECRET;

const { request, setTarget, target, agent } = await import("../bench/lib/http");
const { scrapeLoginForm, signIn, completeSecondStep } = await import("../bench/lib/sign-in");
const { signUnsubscribeToken } = await import("../lib/preferences/tokens");

type Outcome = { tool: string; target: string; verdict: "pass" | "fail" | "note"; detail: string };
const outcomes: Outcome[] = [];

/** Runs a command, its output to a log file and (with EXTERNAL_VERBOSE=1) the terminal. */
function run(cmd: string, args: string[], log: string, timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const take = (d: Buffer) => {
      out += d.toString();
      if (process.env.EXTERNAL_VERBOSE === "1") process.stdout.write(d);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      writeFileSync(log, out);
      resolve({ code: code ?? -1, out });
    });
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "myaccount-external-"));
const database = await createTestDatabase("external");
let server: AppServer | undefined;

async function cleanup() {
  agent.destroy();
  await server?.stop().catch(() => {});
  await dropTestDatabase(database.name).catch((err) => console.error(`dropping ${database.name} failed:`, err));
}

try {
  server = startAppServer(
    { port: PORT, httpPort: HTTP_PORT, dataDir: path.join(tmp, "data"), databaseUrl: database.url },
    { SEED_DEMO: "always" },
  );
  await server.ready(120_000);
  setTarget(PORT);
  const origin = target.origin;
  console.log(`test:external: server.ts (${DIST_DIR}) on ${origin}, database ${database.name}; logs in ${tmp}`);

  // --- sqlmap -------------------------------------------------------------------------------
  const sqlmapBase = [
    // Otherwise sqlmap reads a list of targets from any stdin that is not a terminal.
    "--ignore-stdin",
    "--batch",
    // Pages carry a fresh CSP nonce and action ids each time: compare their text, not their markup.
    "--text-only",
    "--level",
    "2",
    "--risk",
    "1",
    "--flush-session",
    "--disable-coloring",
    "--threads",
    "4",
    "--output-dir",
    path.join(tmp, "sqlmap"),
    // Next's own check and the edge's refuse a server action without a same-origin Origin.
    "--headers",
    `Origin: ${origin}\nSec-Fetch-Site: same-origin`,
  ];
  const sqlmapVerdict = (name: string, what: string, out: string, code: number) => {
    const found = /identified the following injection point|is vulnerable|appears to be injectable/i.test(out);
    const clean = /do not appear to be injectable|not injectable/i.test(out);
    const tested = out.match(/testing '([^']+)'/g)?.length ?? 0;
    outcomes.push({
      tool: "sqlmap",
      target: what,
      verdict: found ? "fail" : clean ? "pass" : "fail",
      detail: found
        ? `INJECTION FOUND (see ${path.join(tmp, `sqlmap-${name}.log`)})`
        : clean
          ? `${tested} techniques tried, no parameter injectable`
          : `no verdict (exit ${code}; see ${path.join(tmp, `sqlmap-${name}.log`)})`,
    });
  };

  // Sign-in: the no-JS form post, identifier and password marked for injection (*).
  {
    const form = await scrapeLoginForm();
    const boundary = "----sqlmapboundary7MA4YWxkTrZu0gW";
    const fields: Record<string, string> = { ...form, next: "", identifier: "probe-user*", password: "probe-pass*" };
    const body = Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("");
    const raw =
      `POST /login HTTP/1.1\r\nHost: localhost:${PORT}\r\nOrigin: ${origin}\r\nSec-Fetch-Site: same-origin\r\n` +
      `Accept: text/html\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n\r\n${body}--${boundary}--\r\n`;
    const file = path.join(tmp, "login.req");
    writeFileSync(file, raw);
    const log = path.join(tmp, "sqlmap-login.log");
    const { code, out } = await run("sqlmap", ["-r", file, "--force-ssl", ...sqlmapBase.slice(0, -2)], log, 900_000);
    sqlmapVerdict("login", "sign-in (POST /login: identifier, password)", out, code);
  }

  // The console's customer search, as a demo rep (password, then the authenticator code).
  {
    const form = await scrapeLoginForm();
    const first = await signIn(form, "rep", "demo-password-2026");
    if (!first.ok || !first.cookie) throw new Error(`signing in as the demo rep failed: ${first.reason}`);
    await completeSecondStep(first.cookie, "rep");
    const page = await request("GET", "/console/customers?q=smith", { cookie: first.cookie });
    if (page.status !== 200) throw new Error(`the console search answered ${page.status} to the demo rep`);
    const log = path.join(tmp, "sqlmap-search.log");
    const { code, out } = await run(
      "sqlmap",
      [
        "-u",
        `${origin}/console/customers?q=smith`,
        "--cookie",
        first.cookie,
        // Injecting into the session cookie itself would only sign the scan out.
        "--skip",
        "__Secure-authjs.session-token",
        ...sqlmapBase,
      ],
      log,
      900_000,
    );
    sqlmapVerdict("search", "console search (GET /console/customers?q=, staff session)", out, code);
  }

  // One-click unsubscribe: a real token of the demo customer, the token and the body marked.
  {
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    const { rows } = await direct.query<{ user_id: string; code: number }>(
      `select u.id as user_id, t.code from users u cross join email_topics t
        where u.username = 'demo' and t.mail_class = 'marketing' order by t.code limit 1`,
    );
    await direct.end();
    if (!rows[0]) throw new Error("no demo customer or marketing topic in the seeded database");
    const token = signUnsubscribeToken(rows[0].user_id, rows[0].code);
    const check = await request(
      "POST",
      `/u/${token}`,
      { "content-type": "application/x-www-form-urlencoded" },
      Buffer.from("List-Unsubscribe=One-Click"),
    );
    if (check.status >= 400) throw new Error(`POST /u/<token> answered ${check.status} to a real token`);
    const log = path.join(tmp, "sqlmap-unsubscribe.log");
    const { code, out } = await run(
      "sqlmap",
      ["-u", `${origin}/u/${token}*`, "--data", "List-Unsubscribe=One-Click", "--method", "POST", ...sqlmapBase],
      log,
      900_000,
    );
    sqlmapVerdict("unsubscribe", "one-click unsubscribe (POST /u/<token>: token, body)", out, code);
  }

  // --- testssl.sh ---------------------------------------------------------------------------
  {
    const json = path.join(tmp, "testssl.json");
    const log = path.join(tmp, "testssl.log");
    const args = [
      "--quiet",
      "--color",
      "0",
      "--warnings",
      "batch",
      "--jsonfile",
      json,
      "--ip",
      "one",
      "-p",
      "-s",
      "-f",
    ];
    if (!QUICK) args.push("-U");
    await run(TESTSSL, [...args, `https://127.0.0.1:${PORT}/`], log, 900_000);
    type Finding = { id: string; severity: string; finding: string };
    let findings: Finding[] = [];
    try {
      findings = JSON.parse(readFileSync(json, "utf8")) as Finding[];
    } catch {
      outcomes.push({
        tool: "testssl.sh",
        target: "HTTPS port",
        verdict: "fail",
        detail: `no JSON output (see ${log})`,
      });
    }
    const rank: Record<string, number> = { OK: 0, INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };
    // The development certificate is self-signed for localhost: its trust, name and revocation
    // findings are expected (a real deployment sets TLS_CERT/TLS_KEY).
    const expectedCert = /^(cert|chain_of_trust|OCSP|DNS_CAA|intermediate_cert|cert_)/i;
    const protocols = findings.filter((f) => /^(SSLv2|SSLv3|TLS1(_1|_2|_3)?)$/.test(f.id));
    const offered = protocols.filter((f) => /^offered/.test(f.finding)).map((f) => f.id);
    outcomes.push({
      tool: "testssl.sh",
      target: "protocols",
      verdict: "note",
      detail: `offered: ${offered.join(", ")}`,
    });
    for (const f of findings) {
      if ((rank[f.severity] ?? 0) < 2 || expectedCert.test(f.id) || f.id === "scanProblem") continue;
      if (f.id === "BREACH") {
        outcomes.push({
          tool: "testssl.sh",
          target: "BREACH",
          verdict: "note",
          detail: `${f.severity}: ${f.finding} — not exploitable here, see docs/security-tools.md`,
        });
        continue;
      }
      outcomes.push({ tool: "testssl.sh", target: f.id, verdict: "fail", detail: `${f.severity}: ${f.finding}` });
    }
    const certNotes = findings.filter((f) => (rank[f.severity] ?? 0) >= 2 && expectedCert.test(f.id)).map((f) => f.id);
    if (certNotes.length)
      outcomes.push({
        tool: "testssl.sh",
        target: "certificate",
        verdict: "note",
        detail: `expected for the self-signed development certificate: ${certNotes.join(", ")}`,
      });
    if (!outcomes.some((o) => o.tool === "testssl.sh" && o.verdict === "fail"))
      outcomes.push({ tool: "testssl.sh", target: "HTTPS port", verdict: "pass", detail: "no finding above LOW" });
  }
} catch (err) {
  outcomes.push({ tool: "setup", target: "server", verdict: "fail", detail: (err as Error).message.slice(0, 2000) });
} finally {
  await cleanup();
}

// --- npm audit and licences -------------------------------------------------------------------
{
  const audit = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
  let parsed: {
    metadata?: { vulnerabilities?: Record<string, number> };
    message?: string;
    error?: { summary?: string };
  } | null = null;
  try {
    parsed = JSON.parse(audit.stdout);
  } catch {
    parsed = null;
  }
  const v = parsed?.metadata?.vulnerabilities;
  if (!v) {
    const why =
      parsed?.message || parsed?.error?.summary || (audit.stderr || audit.stdout || "no answer").split("\n")[0];
    outcomes.push({
      tool: "npm audit",
      target: "runtime dependencies",
      verdict: "note",
      detail: `the registry did not answer the audit (${why.trim().slice(0, 200)}); not checked`,
    });
  } else {
    const serious = (v.high ?? 0) + (v.critical ?? 0);
    outcomes.push({
      tool: "npm audit",
      target: "runtime dependencies",
      verdict: serious ? "fail" : "pass",
      detail: Object.entries(v)
        .map(([k, n]) => `${k} ${n}`)
        .join(", "),
    });
  }
  const licences = spawnSync("npm", ["run", "--silent", "licences"], { encoding: "utf8" });
  outcomes.push({
    tool: "licences",
    target: "runtime dependencies",
    verdict: licences.status === 0 ? "pass" : "fail",
    detail: (licences.stdout + licences.stderr).trim().split("\n").slice(-1)[0] ?? "",
  });
}

console.log("\ntest:external summary");
for (const o of outcomes) console.log(`  ${o.verdict.toUpperCase().padEnd(4)}  ${o.tool} — ${o.target}: ${o.detail}`);
const failed = outcomes.filter((o) => o.verdict === "fail").length;
console.log(failed ? `\n${failed} failed (logs in ${tmp})` : `\nall passed (logs in ${tmp})`);
// The server's data folder goes; the tools' logs stay for reading.
rmSync(path.join(tmp, "data"), { recursive: true, force: true });
process.exit(failed ? 1 : 0);
