/**
 * The server under test: its database prepared by bench/prepare-db.ts, server.ts started on spare
 * ports with its log in the run's temporary folder, and everything the run made removed at the end.
 * The chat part starts a second instance on the same database (startSecondServer).
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { dropTestDatabase } from "../../lib/test/pg-admin";
import { agent, request, target } from "./http";
import { sleep } from "./log";
import { LOGIN_WORKERS, ROUNDS, RUN_TWO_STEP, SAVE_CLIENTS, TWO_STEP_CONCURRENCY, TWO_STEP_SIGNINS } from "./settings";

/** Another server.ts on the same database, with its own ports, DATA_DIR and log. */
export type Instance = { name: string; child: ChildProcess; port: number; logFile: string };

/** What the run made and must clean up. */
export const state: {
  tmp?: string;
  server?: ChildProcess;
  /** Instances started after the first (the chat part's second one). */
  others: Instance[];
  dbName?: string;
  logFile?: string;
  cleaned?: boolean;
} = { others: [] };

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

export function serverLogTail(lines = 40, logFile = state.logFile): string {
  if (!logFile || !existsSync(logFile)) return "";
  return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
}

/** The lines of every server's log that mention an error or a warning (the others' prefixed). */
export function serverLogProblems(): string[] {
  const problems = (file: string) =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => /error|warn/i.test(l))
      : [];
  return [
    ...problems(state.logFile!),
    ...state.others.flatMap((o) => problems(o.logFile).map((l) => `[${o.name}] ${l}`)),
  ];
}

/** The Node flags every server.ts (and the chat part's bare SSE endpoint) runs with. */
export const SERVER_ARGS = ["--import", "./scripts/node/register.mjs"];

function spawnServer(env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[]): ChildProcess {
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, [...nodeArgs, ...SERVER_ARGS, path.resolve("server.ts")], {
    env,
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  child.once("exit", (code, signal) => {
    if (!state.cleaned)
      console.error(`[bench] a server (pid ${child.pid}) exited unexpectedly: ${signal ?? `code ${code}`}`);
  });
  return child;
}

async function waitHealthy(child: ChildProcess, logFile: string, port: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (code ${child.exitCode}):\n${serverLogTail(40, logFile)}`);
    // Only trust /api/health once this child says it listens (the port could be someone else's).
    if (!readFileSync(logFile, "utf8").includes("MyAccount is running")) {
      await sleep(250);
      continue;
    }
    try {
      const res = await request("GET", "/api/health", {}, undefined, { port });
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`the server did not become healthy in 90 s:\n${serverLogTail(40, logFile)}`);
}

export async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const prep = spawnSync(process.execPath, [...SERVER_ARGS, path.join("bench", "prepare-db.ts")], {
    stdio: "inherit",
    env: {
      ...env,
      BENCH_USERS: String(Math.max(LOGIN_WORKERS, SAVE_CLIENTS)),
      BENCH_TWO_STEP_TOTP_USERS: String(RUN_TWO_STEP ? TWO_STEP_SIGNINS * ROUNDS : 0),
      BENCH_TWO_STEP_PASSKEY_USERS: String(RUN_TWO_STEP ? TWO_STEP_CONCURRENCY : 0),
      BENCH_IDS_FILE: idsFile(),
    },
  });
  if (prep.status !== 0) throw new Error("preparing the database failed");

  state.logFile = path.join(state.tmp!, "server.log");
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": where the server's time goes.
  const child = spawnServer(env, state.logFile, process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []);
  state.server = child;
  await waitHealthy(child, state.logFile, target.port);
  return child;
}

/**
 * One more server.ts on the database the first one prepared: `env` must give it its own PORT,
 * HTTP_PORT and DATA_DIR (and the same DATABASE_URL, AUTH_SECRET and DATA_ENCRYPTION_KEY, as
 * instances behind one load balancer share). `nodeArgs` go before the server's own flags.
 */
export async function startSecondServer(name: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const logFile = path.join(state.tmp!, `server-${name}.log`);
  const instance: Instance = { name, child: spawnServer(env, logFile, nodeArgs), port: Number(env.PORT), logFile };
  state.others.push(instance);
  await waitHealthy(instance.child, logFile, instance.port);
  return instance;
}

/**
 * A server.ts on a database of its own (the newsletter part's): prepares that database as
 * startServer does (migrations, demo accounts, `benchUsers` bench customers) and starts it with
 * its own ports, DATA_DIR and log; stopped by cleanup() or stopInstance().
 */
export async function startInstanceOnOwnDatabase(name: string, env: NodeJS.ProcessEnv, benchUsers = 1) {
  const prep = spawnSync(process.execPath, [...SERVER_ARGS, path.join("bench", "prepare-db.ts")], {
    stdio: "inherit",
    env: { ...env, BENCH_USERS: String(benchUsers) },
  });
  if (prep.status !== 0) throw new Error(`preparing the database of instance ${name} failed`);
  return startSecondServer(name, env);
}

/** Stops one of the instances started after the first, before the end of the run. */
export async function stopInstance(instance: Instance) {
  await stopServer(instance.child);
}

async function stopServer(child: ChildProcess | undefined) {
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
  await Promise.all(
    [state.server, ...state.others.map((o) => o.child)].map((child) =>
      stopServer(child).catch((err) => console.error(`[bench] stopping the server (pid ${child?.pid}) failed:`, err)),
    ),
  );
  if (state.dbName)
    await dropTestDatabase(state.dbName).catch((err) => console.error(`[bench] dropping ${state.dbName} failed:`, err));
  if (state.tmp) rmSync(state.tmp, { recursive: true, force: true });
}
