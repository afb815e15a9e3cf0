/**
 * Part 2: sign-ins per second, each worker its own customer in a loop (the real no-JS POST /login),
 * with a light fixed-rate load on /login and /account beside them.
 */
import { cpuDelta, cpuSnapshot, type CpuDelta } from "../lib/cpu";
import { load, statusSummary, type LoadResult } from "../lib/load";
import { log } from "../lib/log";
import { BACKGROUND, GOAL, LOGIN_DURATION, LOGIN_WORKERS } from "../lib/settings";
import { signIn, type LoginForm } from "../lib/sign-in";
import { percentile } from "../lib/stats";
import { cores, f0, f1, table } from "../lib/table";
import { benchUser } from "../users";
import type { PageRow } from "./pages";

export type LoginFigures = {
  logins: number;
  failures: number;
  failureReasons: Map<string, number>;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpu: CpuDelta;
  background: { label: string; result: LoadResult; expected: number }[];
};

export async function measureLogins(form: LoginForm, accountCookie: string): Promise<LoginFigures> {
  const users = Array.from({ length: LOGIN_WORKERS }, (_, i) => benchUser(i + 1));
  log(`sign-ins: warm-up (each of ${LOGIN_WORKERS} users once)`);
  const warm = await Promise.all(users.map((u) => signIn(form, u.username, u.password)));
  const bad = warm.find((w) => !w.ok);
  if (bad) throw new Error(`a warm-up sign-in failed: ${bad.reason}`);

  log(
    `sign-ins: ${LOGIN_WORKERS} workers for ${LOGIN_DURATION} s, with ${BACKGROUND.rate} req/s each on /login and /account beside them`,
  );
  const before = await cpuSnapshot();
  const deadline = performance.now() + LOGIN_DURATION * 1000;
  const latencies: number[] = [];
  const failureReasons = new Map<string, number>();
  let failures = 0;
  const background = Promise.all([
    load({
      path: "/login",
      connections: BACKGROUND.connections,
      duration: LOGIN_DURATION,
      overallRate: BACKGROUND.rate,
    }),
    load({
      path: "/account",
      connections: BACKGROUND.connections,
      duration: LOGIN_DURATION,
      overallRate: BACKGROUND.rate,
      headers: { cookie: accountCookie },
    }),
  ]);
  await Promise.all(
    users.map(async (u) => {
      while (performance.now() < deadline) {
        const outcome = await signIn(form, u.username, u.password);
        if (outcome.ok) latencies.push(outcome.ms);
        else {
          failures++;
          const reason = outcome.reason ?? `HTTP ${outcome.status}`;
          failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const after = await cpuSnapshot();
  const [loginPage, accountPage] = await background;
  latencies.sort((x, y) => x - y);
  const cpu = cpuDelta(before, after);
  return {
    logins: latencies.length,
    failures,
    failureReasons,
    perSecond: latencies.length / (cpu.wallMs / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu,
    background: [
      { label: "GET /login (signed out)", result: loginPage, expected: 200 },
      { label: "GET /account (signed in)", result: accountPage, expected: 200 },
    ],
  };
}

/** `pages` are part 1's rows: the background pages' CPU is taken off the sign-ins' at their cost there. */
export function reportLogins(logins: LoginFigures, pages: PageRow[], pgRun: boolean) {
  const [, loginRow, accountRow] = pages;
  console.log("");
  console.log(
    `2) Sign-ins: ${LOGIN_WORKERS} concurrent workers × ${LOGIN_DURATION} s, each its own customer (no-JS server action POST /login → 303 + session cookie)`,
  );
  const bgRows = logins.background.map(({ label, result, expected }) => ({
    label,
    n: result.latencies.length,
    p50: percentile(result.latencies, 50),
    p95: percentile(result.latencies, 95),
    p99: percentile(result.latencies, 99),
    unexpected: statusSummary(result, expected),
  }));
  // The pages' own share of the phase's CPU, at the cost measured in part 1.
  const bgCpuMs = bgRows[0].n * loginRow.cpuPerReq + bgRows[1].n * accountRow.cpuPerReq;
  table(
    ["figure", "value", "goal"],
    [
      ["successful sign-ins per second", f1(logins.perSecond), `≥ ${GOAL.loginsPerSecond}/s`],
      ["successful sign-ins / failed", `${logins.logins} / ${logins.failures}`, ""],
      ["sign-in latency p50 / p95 / p99 (ms)", `${f0(logins.p50)} / ${f0(logins.p95)} / ${f0(logins.p99)}`, ""],
      ...bgRows.map((b) => [`${b.label} p95 (ms), ${BACKGROUND.rate} req/s`, f1(b.p95), `< ${GOAL.p95Ms} ms`]),
      ...bgRows.map((b) => [
        `  ${b.label} p50 / p99 (ms), n, unexpected`,
        `${f1(b.p50)} / ${f1(b.p99)}, ${b.n}, ${b.unexpected}`,
        "",
      ]),
      ["server CPU ms per sign-in (minus the page load)", f1((logins.cpu.serverMs - bgCpuMs) / logins.logins), ""],
      ...(pgRun ? [["DB backends CPU ms per sign-in (incl. page load)", f1(logins.cpu.dbMs / logins.logins), ""]] : []),
      [
        `cores busy: server / client${pgRun ? " / db" : ""} / other`,
        [logins.cpu.serverMs, logins.cpu.clientMs, ...(pgRun ? [logins.cpu.dbMs] : []), logins.cpu.otherMs]
          .map((ms) => cores(ms, logins.cpu.wallMs))
          .join(" / "),
        "",
      ],
    ],
    3,
  );
  if (logins.cpu.otherMs / logins.cpu.wallMs > 0.3) {
    console.log(
      `  NOTE: other processes kept ${cores(logins.cpu.otherMs, logins.cpu.wallMs)} cores busy during the sign-ins: rates and latencies understate this server.`,
    );
  }
  if (logins.failures > 0) {
    console.log("  failed sign-ins by reason:");
    for (const [reason, n] of logins.failureReasons) console.log(`    ${n}× ${reason}`);
  }
}
