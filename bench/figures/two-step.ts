/**
 * Part 9 (issue 13): what a sign-in costs the server with two-step, beside a password-only one, in
 * the same run. Three kinds, each timed in BENCH_ROUNDS alternating rounds of BENCH_TWO_STEP_SIGNINS
 * sign-ins (BENCH_TWO_STEP_CONCURRENCY at a time), the server process's CPU (and, on Postgres, the
 * database backends') divided by the successful sign-ins:
 *   - password only: the no-JS POST /login → 303 + session cookie (a customer without two-step);
 *   - password + authenticator code: POST /login → 303 to /login/verify with a partial session;
 *     GET /login/verify (the form a browser shows); the no-JS POST of the 6-digit code → 303 home;
 *   - passkey: the two server-action calls "Sign in with a passkey" makes (options, then the
 *     signed assertion → 303 + session cookie), the assertion made by the software authenticator of
 *     lib/test/soft-authenticator.ts (real ES256 signatures the server verifies).
 * The two-step customers are set up through the app itself first (sign in, "Set up an authenticator
 * app" / "Add a passkey" on /account/security), so the server stores exactly what a browser leaves.
 * Authenticator codes are single-use per account and step, so each round uses customers of its own.
 */
import { TOTP } from "otpauth";
import { createSoftAuthenticator, type SoftAuthenticator } from "../../lib/test/soft-authenticator";
import { callAction, type ActionReply } from "../lib/actions";
import { cpuDelta, cpuSnapshot, sumCpu, type CpuDelta } from "../lib/cpu";
import { actionFieldsOf, multipart, request, scrapeForm, target } from "../lib/http";
import { log } from "../lib/log";
import { ROUNDS, TWO_STEP_CONCURRENCY, TWO_STEP_SIGNINS } from "../lib/settings";
import { sessionOf, signIn, type LoginForm } from "../lib/sign-in";
import { percentile } from "../lib/stats";
import { cores, f0, f1, f2, table } from "../lib/table";
import { benchUser, TWO_STEP_PASSKEY_FIRST, TWO_STEP_TOTP_FIRST } from "../users";

type Kind = "password" | "authenticator" | "passkey";
const KINDS: Kind[] = ["password", "authenticator", "passkey"];
const LABEL: Record<Kind, string> = {
  password: "password only",
  authenticator: "password + authenticator code",
  passkey: "passkey (no password)",
};
// Every kind ends with the account page rendered: the passkey action's redirect renders /account
// in its own answer (a server action called from script), so the password kinds GET it too.
const REQUESTS: Record<Kind, string> = {
  password: "POST /login, GET /account",
  authenticator: "POST /login, GET + POST /login/verify, GET /account",
  passkey: "2 action calls on /login (the 2nd renders /account)",
};

export type TwoStepRow = { kind: Kind; cpu: CpuDelta; ok: number; latencies: number[]; failures: Map<string, number> };
export type TwoStepFigures = { rows: TwoStepRow[]; setupSeconds: number };

const SECURITY = ["/account/security", "app/account/security/actions.ts"] as const;
const LOGIN = ["/login", "app/login/actions.ts"] as const;

type TotpUser = { username: string; password: string; totp: TOTP; lastStep: number };
type PasskeyUser = { username: string; authenticator: SoftAuthenticator };

const step = () => Math.floor(Date.now() / 30_000);

function okData<T>(answer: ActionReply, what: string): T {
  const v = answer.value as { ok?: boolean; data?: T; formError?: string; code?: string } | null;
  if (!v?.ok) {
    const why = v?.formError ?? v?.code ?? `HTTP ${answer.reply.status}: ${answer.reply.body.slice(0, 300)}`;
    throw new Error(`${what} was refused: ${why}`);
  }
  return v.data as T;
}

/** Turns the authenticator app on for a bench customer, through /account/security's actions. */
async function enrolAuthenticator(form: LoginForm, username: string, password: string): Promise<TotpUser> {
  const cookie = await sessionOf(form, username, password);
  const started = await callAction(...SECURITY, "startAuthenticatorAction", {}, cookie);
  const { secret } = okData<{ secret: string }>(started, `setting up ${username}'s authenticator`);
  const totp = new TOTP({ secret });
  const now = step();
  const confirmed = await callAction(...SECURITY, "confirmAuthenticatorAction", { code: totp.generate() }, cookie);
  okData(confirmed, `confirming ${username}'s authenticator`);
  return { username, password, totp, lastStep: now };
}

/** Registers a software passkey for a bench customer, through /account/security's actions. */
async function enrolPasskey(form: LoginForm, username: string, password: string): Promise<PasskeyUser> {
  const cookie = await sessionOf(form, username, password);
  const options = okData<Parameters<SoftAuthenticator["register"]>[0]>(
    await callAction(...SECURITY, "passkeyOptionsAction", {}, cookie),
    `passkey options for ${username}`,
  );
  const authenticator = createSoftAuthenticator();
  const response = authenticator.register(options, target.origin);
  const added = await callAction(
    ...SECURITY,
    "addPasskeyAction",
    { name: "Bench passkey", response: JSON.stringify(response) },
    cookie,
  );
  okData(added, `adding ${username}'s passkey`);
  return { username, authenticator };
}

/** The next code this customer may use: a later step than their last, within the ±1 window. */
async function codeFor(user: TotpUser): Promise<string> {
  let want = Math.max(step() - 1, user.lastStep + 1);
  while (want > step() + 1) await new Promise((r) => setTimeout(r, 1000));
  want = Math.max(step() - 1, user.lastStep + 1);
  user.lastStep = want;
  return user.totp.generate({ timestamp: want * 30_000 + 1000 });
}

async function passwordAndCode(form: LoginForm, user: TotpUser): Promise<string | null> {
  const first = await signIn(form, user.username, user.password);
  // signIn() counts a 303 with a session cookie as done; here that cookie is the partial session.
  if (!first.cookie) return first.reason ?? "no partial session";
  const page = await request("GET", "/login/verify", { cookie: first.cookie });
  if (page.status !== 200) return `GET /login/verify answered ${page.status}`;
  const fields = actionFieldsOf(scrapeForm(page.body, /aria-describedby="code-message"/, "/login/verify"));
  const { body, contentType } = multipart({ ...fields, code: await codeFor(user), next: "" });
  const res = await request(
    "POST",
    "/login/verify",
    { "content-type": contentType, origin: target.origin, accept: "text/html", cookie: first.cookie },
    body,
  );
  const location = String(res.headers.location ?? "");
  if (res.status !== 303 || location.includes("/login")) return `code answered ${res.status} ${location}`;
  return landed(first.cookie);
}

/** The account page with the new session: what the browser shows next. */
async function landed(cookie: string): Promise<string | null> {
  const home = await request("GET", "/account", { cookie });
  return home.status === 200 ? null : `GET /account answered ${home.status}`;
}

async function passkeyOnly(user: PasskeyUser): Promise<string | null> {
  const options = (await callAction(...LOGIN, "passkeySignInOptionsAction", {})).value as {
    ok?: boolean;
    data?: Parameters<SoftAuthenticator["assert"]>[0];
  };
  if (!options?.ok || !options.data) return "no passkey options";
  const assertion = user.authenticator.assert(options.data, target.origin);
  const done = await callAction(...LOGIN, "passkeySignInAction", { response: JSON.stringify(assertion) });
  if (done.redirect !== "/account" || !done.setCookies.some((c) => c.includes("session-token")))
    return `passkey sign-in answered ${done.reply.status} ${done.redirect ?? ""}`;
  return null;
}

export async function measureTwoStep(form: LoginForm): Promise<TwoStepFigures> {
  const started = performance.now();
  const perRound = TWO_STEP_SIGNINS;
  log(`two-step: setting up ${perRound * ROUNDS} authenticator and ${TWO_STEP_CONCURRENCY} passkey customers`);
  const totpUsers: TotpUser[] = [];
  for (let i = 0; i < perRound * ROUNDS; i++) {
    const u = benchUser(TWO_STEP_TOTP_FIRST + i);
    totpUsers.push(await enrolAuthenticator(form, u.username, u.password));
  }
  const passkeyUsers: PasskeyUser[] = [];
  for (let i = 0; i < TWO_STEP_CONCURRENCY; i++) {
    const u = benchUser(TWO_STEP_PASSKEY_FIRST + i);
    passkeyUsers.push(await enrolPasskey(form, u.username, u.password));
  }
  const passwordUsers = Array.from({ length: TWO_STEP_CONCURRENCY }, (_, i) => benchUser(i + 1));
  const setupSeconds = (performance.now() - started) / 1000;

  const samples = new Map<Kind, { cpu: CpuDelta[]; latencies: number[]; failures: Map<string, number> }>(
    KINDS.map((k) => [k, { cpu: [], latencies: [], failures: new Map() }]),
  );
  // Warm-up: one of each, so the first kind timed does not pay for compiling the others' code.
  await signIn(form, passwordUsers[0].username, passwordUsers[0].password);
  await passkeyOnly(passkeyUsers[0]);

  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of KINDS) {
      log(`two-step: round ${round + 1}/${ROUNDS}, ${LABEL[kind]} × ${perRound}`);
      const sample = samples.get(kind)!;
      let next = 0;
      const before = await cpuSnapshot();
      await Promise.all(
        Array.from({ length: TWO_STEP_CONCURRENCY }, async (_, worker) => {
          for (let i = next++; i < perRound; i = next++) {
            const t0 = performance.now();
            let failure: string | null;
            if (kind === "password") {
              const u = passwordUsers[worker];
              const outcome = await signIn(form, u.username, u.password);
              failure = outcome.ok ? await landed(outcome.cookie!) : (outcome.reason ?? `HTTP ${outcome.status}`);
            } else if (kind === "authenticator") {
              failure = await passwordAndCode(form, totpUsers[round * perRound + i]);
            } else {
              failure = await passkeyOnly(passkeyUsers[worker]);
            }
            if (failure) sample.failures.set(failure, (sample.failures.get(failure) ?? 0) + 1);
            else sample.latencies.push(performance.now() - t0);
          }
        }),
      );
      sample.cpu.push(cpuDelta(before, await cpuSnapshot()));
    }
  }
  const rows = KINDS.map((kind) => {
    const s = samples.get(kind)!;
    return {
      kind,
      cpu: sumCpu(s.cpu),
      ok: s.latencies.length,
      latencies: s.latencies.sort((a, b) => a - b),
      failures: s.failures,
    };
  });
  return { rows, setupSeconds };
}

export function reportTwoStep(figures: TwoStepFigures, pgRun: boolean) {
  console.log("");
  console.log(
    `9) Two-step sign-in: server CPU per sign-in by kind, ${ROUNDS} alternating rounds × ${TWO_STEP_SIGNINS}, ${TWO_STEP_CONCURRENCY} at a time (setup ${f0(figures.setupSeconds)} s)`,
  );
  const base = figures.rows.find((r) => r.kind === "password")!;
  const perSignIn = (r: TwoStepRow, ms: number) => (r.ok ? ms / r.ok : NaN);
  const baseMs = perSignIn(base, base.cpu.serverMs);
  table(
    [
      "sign-in",
      "requests",
      "ok / failed",
      "server CPU ms each",
      "× password only",
      ...(pgRun ? ["DB CPU ms each"] : []),
      "p50 / p95 ms",
      "cores: server / other",
    ],
    figures.rows.map((r) => {
      const failed = [...r.failures.values()].reduce((a, b) => a + b, 0);
      const ms = perSignIn(r, r.cpu.serverMs);
      return [
        LABEL[r.kind],
        REQUESTS[r.kind],
        `${r.ok} / ${failed}`,
        f1(ms),
        f2(ms / baseMs),
        ...(pgRun ? [f1(perSignIn(r, r.cpu.dbMs))] : []),
        `${f0(percentile(r.latencies, 50))} / ${f0(percentile(r.latencies, 95))}`,
        `${cores(r.cpu.serverMs, r.cpu.wallMs)} / ${cores(r.cpu.otherMs, r.cpu.wallMs)}`,
      ];
    }),
    3,
  );
  console.log(
    "  From the first request to /account rendered. Password kinds pay for argon2id (deliberately slow); a passkey sign-in checks one ES256 signature.",
  );
  for (const r of figures.rows) {
    for (const [reason, n] of r.failures) console.log(`  ${LABEL[r.kind]} failed ${n}×: ${reason}`);
  }
}
