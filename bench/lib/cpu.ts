/**
 * CPU accounting around each sample: the server process, this client process, the Postgres
 * backends of the bench's database, and everything else on the machine (from /proc).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type pg from "pg";
import { state } from "./server";

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {
  /* keep 100 */
}
export const ticksToMs = (ticks: number) => (ticks * 1000) / CLK_TCK;

/** utime+stime of a process in clock ticks, all its threads (argon2 and PGlite run inside). */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy ticks of the whole machine (all processes, all cores). */
export function machineBusyTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [, ...nums] = line.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
  const [user, nice, system, , , irq, softirq, steal] = nums.map(Number);
  return user + nice + system + irq + softirq + (steal || 0);
}

/** An admin connection that lists the bench database's backends (Postgres runs only). */
let dbAdmin: pg.Client | undefined;

export function watchDatabase(admin: pg.Client) {
  dbAdmin = admin;
}

export async function unwatchDatabase() {
  await dbAdmin?.end().catch(() => {});
}

export async function dbBackendTicks(): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  if (!dbAdmin || !state.dbName) return ticks;
  const { rows } = await dbAdmin.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1", [
    state.dbName,
  ]);
  for (const { pid } of rows) ticks.set(pid, processTicks(pid));
  return ticks;
}

export type CpuSnapshot = {
  at: number;
  server: number;
  client: NodeJS.CpuUsage;
  machine: number;
  db: Map<number, number>;
};

export async function cpuSnapshot(): Promise<CpuSnapshot> {
  const child = state.server!;
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error("the server is no longer running; its figures would be meaningless");
  const db = await dbBackendTicks();
  return {
    at: performance.now(),
    server: processTicks(state.server!.pid!),
    client: process.cpuUsage(),
    machine: machineBusyTicks(),
    db,
  };
}

export type CpuDelta = { wallMs: number; serverMs: number; clientMs: number; dbMs: number; otherMs: number };

export function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuDelta {
  const serverMs = ticksToMs(b.server - a.server);
  const c = process.cpuUsage(a.client);
  const clientMs = (c.user + c.system) / 1000;
  let dbTicks = 0;
  // Backends that started during the run count from zero; ones that ended are lost (rare: the
  // pool keeps its connections for 30 s idle).
  for (const [pid, t] of b.db) dbTicks += t - (a.db.get(pid) ?? 0);
  const dbMs = ticksToMs(dbTicks);
  const machineMs = ticksToMs(b.machine - a.machine);
  return {
    wallMs: b.at - a.at,
    serverMs,
    clientMs,
    dbMs,
    otherMs: Math.max(0, machineMs - serverMs - clientMs - dbMs),
  };
}

/** The samples of one row (taken in alternating rounds) added up. */
export function sumCpu(deltas: CpuDelta[]): CpuDelta {
  const sum = (pick: (c: CpuDelta) => number) => deltas.reduce((acc, c) => acc + pick(c), 0);
  return {
    wallMs: sum((c) => c.wallMs),
    serverMs: sum((c) => c.serverMs),
    clientMs: sum((c) => c.clientMs),
    dbMs: sum((c) => c.dbMs),
    otherMs: sum((c) => c.otherMs),
  };
}
