/**
 * The server under test: its database prepared by bench/prepare-db.ts, server.ts started on spare
 * ports with its log in the run's temporary folder, and everything the run made removed at the end.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { dropTestDatabase } from "../../lib/test/pg-admin";
import { agent, request } from "./http";
import { sleep } from "./log";
import { LOGIN_WORKERS, SAVE_CLIENTS } from "./settings";

/** What the run made and must clean up. */
export const state: {
  tmp?: string;
  server?: ChildProcess;
  dbName?: string;
  logFile?: string;
  cleaned?: boolean;
} = {};

function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(null));
    probe.listen(port, "127.0.0.1", () => {
      const got = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(got));
    });
  });
}

/** The preferred port when it is free, else one the OS hands out. */
export async function sparePort(preferred: number, avoid: number[] = []): Promise<number> {
  if (!avoid.includes(preferred) && (await listenOn(preferred)) !== null) return preferred;
  for (;;) {
    const port = await listenOn(0);
    if (port !== null && !avoid.includes(port)) return port;
  }
}

/** Where bench/prepare-db.ts writes the bench customers' ids (username → id). */
export const idsFile = () => path.join(state.tmp!, "bench-user-ids.json");

export function serverLogTail(lines = 40): string {
  if (!state.logFile || !existsSync(state.logFile)) return "";
  return readFileSync(state.logFile, "utf8").split("\n").slice(-lines).join("\n");
}

/** The server log's lines that mention an error or a warning. */
export function serverLogProblems(): string[] {
  return readFileSync(state.logFile!, "utf8")
    .split("\n")
    .filter((l) => /error|warn/i.test(l));
}

export async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const prep = spawnSync(
    process.execPath,
    ["--import", "./scripts/node/register.mjs", path.join("bench", "prepare-db.ts")],
    {
      stdio: "inherit",
      env: { ...env, BENCH_USERS: String(Math.max(LOGIN_WORKERS, SAVE_CLIENTS)), BENCH_IDS_FILE: idsFile() },
    },
  );
  if (prep.status !== 0) throw new Error("preparing the database failed");

  state.logFile = path.join(state.tmp!, "server.log");
  const out = openSync(state.logFile, "a");
  const child = spawn(process.execPath, ["--import", "./scripts/node/register.mjs", path.resolve("server.ts")], {
    env,
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  state.server = child;
  child.once("exit", (code, signal) => {
    if (!state.cleaned)
      console.error(`[bench] the server (pid ${child.pid}) exited unexpectedly: ${signal ?? `code ${code}`}`);
  });

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}):\n${serverLogTail()}`);
    // Only trust /api/health once this child says it listens (the port could be someone else's).
    if (!readFileSync(state.logFile, "utf8").includes("MyAccount is running")) {
      await sleep(250);
      continue;
    }
    try {
      const res = await request("GET", "/api/health");
      if (res.status === 200) return child;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`the server did not become healthy in 90 s:\n${serverLogTail()}`);
}

async function stopServer() {
  const child = state.server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Stops the server, drops the Postgres database and removes the temporary folder; once. */
export async function cleanup() {
  if (state.cleaned) return;
  state.cleaned = true;
  agent.destroy();
  await stopServer().catch((err) => console.error("[bench] stopping the server failed:", err));
  if (state.dbName)
    await dropTestDatabase(state.dbName).catch((err) => console.error(`[bench] dropping ${state.dbName} failed:`, err));
  if (state.tmp) rmSync(state.tmp, { recursive: true, force: true });
}
