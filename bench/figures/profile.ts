/**
 * Part 3 (issue 3), Edit Profile: the Name form's no-JS save at a fixed number of concurrent
 * clients beside its floor (the bare one-UPDATE server action of app/bench-floor/action), and the
 * report that sets part 1's /account/profile row and the page's first-load JS beside them.
 */
import { readFileSync } from "node:fs";
import { cpuDelta, cpuSnapshot, sumCpu, type CpuDelta } from "../lib/cpu";
import { actionFieldsOf, alertText, multipart, request, scrapeForm, target, type Reply } from "../lib/http";
import { log } from "../lib/log";
import { idsFile } from "../lib/server";
import { GOAL, ROUNDS, SAVE_CLIENTS, SAVE_DURATION, WARMUP } from "../lib/settings";
import { sessionOf, type LoginForm } from "../lib/sign-in";
import { percentile } from "../lib/stats";
import { cores, f1, f2, table } from "../lib/table";
import { benchUser } from "../users";
import { firstLoadJs, type FirstLoad } from "./first-load-js";
import type { PageRow } from "./pages";

const SAVED_TEXT = "Your name was saved.";
const CONFLICT_TEXT = "This information changed since you opened it";
/** Edit Profile is a summary; the Name form is rendered (and its no-JS post answered) at `?edit=name`. */
const NAME_FORM_PATH = "/account/profile?edit=name";

type SaveOutcome = { kind: "ok" | "conflict" | "failed"; ms: number; reason?: string };

/** One client of a save benchmark: posts its form once per call. */
type Saver = { save(): Promise<SaveOutcome> };

/** A name that passes the schema (letters only) and differs every time, so each save changes something. */
function lettersOf(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** A signed-in bench customer saving the Name section of /account/profile, as a browser with JS off. */
class NameSaver implements Saver {
  private fields: Record<string, string> = {};
  private n = 0;
  reloads = 0;
  constructor(
    private readonly who: number,
    private readonly cookie: string,
  ) {}

  /** Reads the form as rendered: React's `$ACTION_*` fields and the section's current version. */
  async load(): Promise<void> {
    const res = await request("GET", NAME_FORM_PATH, { cookie: this.cookie, accept: "text/html" });
    if (res.status !== 200)
      throw new Error(`GET ${NAME_FORM_PATH} as bench customer ${this.who} answered ${res.status}`);
    this.fields = scrapeForm(res.body, /aria-label="Name"/, `${NAME_FORM_PATH} (Name form)`);
    if (!/^\d+$/.test(this.fields.version ?? ""))
      throw new Error("the Name form on /account/profile has no numeric version field");
  }

  async save(): Promise<SaveOutcome> {
    const { body, contentType } = multipart({
      ...this.fields,
      firstName: "Bench",
      lastName: `Saver ${lettersOf(this.who * 100_000 + this.n++)}`,
    });
    const started = performance.now();
    let res: Reply;
    try {
      res = await request(
        "POST",
        NAME_FORM_PATH,
        { cookie: this.cookie, "content-type": contentType, origin: target.origin, accept: "text/html" },
        body,
      );
    } catch (err) {
      return { kind: "failed", ms: performance.now() - started, reason: (err as Error).message };
    }
    const ms = performance.now() - started;
    if (res.status === 200 && res.body.includes(SAVED_TEXT)) {
      this.fields.version = String(Number(this.fields.version) + 1);
      return { kind: "ok", ms };
    }
    // Stale version (or anything else): read the page again before the next try.
    const conflict = res.body.includes(CONFLICT_TEXT);
    this.reloads++;
    await this.load().catch(() => {});
    return conflict
      ? { kind: "conflict", ms }
      : { kind: "failed", ms, reason: `HTTP ${res.status}${alertText(res.body) ? `: ${alertText(res.body)}` : ""}` };
  }
}

/** The floor: the bare one-UPDATE server action of app/bench-floor/action, posted the same way. */
class FloorSaver implements Saver {
  constructor(
    private readonly fields: Record<string, string>,
    private readonly userId: string,
  ) {}

  async save(): Promise<SaveOutcome> {
    const { body, contentType } = multipart({ ...this.fields, id: this.userId });
    const started = performance.now();
    try {
      const res = await request(
        "POST",
        "/bench-floor/action",
        { "content-type": contentType, origin: target.origin, accept: "text/html" },
        body,
      );
      const ms = performance.now() - started;
      return res.status === 200 ? { kind: "ok", ms } : { kind: "failed", ms, reason: `HTTP ${res.status}` };
    } catch (err) {
      return { kind: "failed", ms: performance.now() - started, reason: (err as Error).message };
    }
  }
}

type SaveSample = {
  latencies: number[];
  ok: number;
  conflicts: number;
  failures: number;
  reasons: Map<string, number>;
  cpu: CpuDelta;
};

/** Every saver in a loop for `seconds`; CPU is read around the whole sample. */
async function sampleSaves(savers: Saver[], seconds: number): Promise<SaveSample> {
  const sample: Omit<SaveSample, "cpu"> = { latencies: [], ok: 0, conflicts: 0, failures: 0, reasons: new Map() };
  const before = await cpuSnapshot();
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    savers.map(async (saver) => {
      while (performance.now() < deadline) {
        const out = await saver.save();
        if (out.kind === "ok") {
          sample.ok++;
          sample.latencies.push(out.ms);
        } else if (out.kind === "conflict") sample.conflicts++;
        else {
          sample.failures++;
          const reason = out.reason ?? "?";
          sample.reasons.set(reason, (sample.reasons.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const after = await cpuSnapshot();
  return { ...sample, cpu: cpuDelta(before, after) };
}

type SaveRow = {
  label: string;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  conflicts: number;
  failures: number;
  reasons: Map<string, number>;
  cpuPerSave: number;
  dbCpuPerSave: number;
  cpu: CpuDelta;
};

function saveRow(label: string, samples: SaveSample[]): SaveRow {
  const latencies = samples.flatMap((s) => s.latencies).sort((x, y) => x - y);
  const cpu = sumCpu(samples.map((s) => s.cpu));
  const reasons = new Map<string, number>();
  for (const s of samples) for (const [r, n] of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + n);
  const ok = latencies.length;
  return {
    label,
    perSecond: ok / (cpu.wallMs / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    ok,
    conflicts: samples.reduce((a, s) => a + s.conflicts, 0),
    failures: samples.reduce((a, s) => a + s.failures, 0),
    reasons,
    // All the server's CPU over the successful saves (what failed, if anything, is shown beside).
    cpuPerSave: cpu.serverMs / ok,
    dbCpuPerSave: cpu.dbMs / ok,
    cpu,
  };
}

export type SaveFigures = { floor: SaveRow; name: SaveRow; reloads: number };

export async function measureSaves(form: LoginForm): Promise<SaveFigures> {
  const ids = JSON.parse(readFileSync(idsFile(), "utf8")) as Record<string, string>;
  const users = Array.from({ length: SAVE_CLIENTS }, (_, i) => benchUser(i + 1));
  log(`profile saves: signing in ${SAVE_CLIENTS} bench customers and reading their Name forms`);
  const names: NameSaver[] = [];
  for (const [i, u] of users.entries()) {
    const saver = new NameSaver(i + 1, await sessionOf(form, u.username, u.password));
    await saver.load();
    names.push(saver);
  }
  const floorPage = await request("GET", "/bench-floor/action");
  if (floorPage.status !== 200)
    throw new Error(`GET /bench-floor/action answered ${floorPage.status} (the server needs BENCH_ENDPOINTS=1)`);
  const floorFields = actionFieldsOf(
    scrapeForm(floorPage.body, /aria-label="Benchmark floor action"/, "/bench-floor/action"),
  );
  const floors = users.map((u) => {
    const id = ids[u.username];
    if (!id) throw new Error(`no id for ${u.username} in ${idsFile()}`);
    return new FloorSaver(floorFields, id);
  });

  // One save each must work before anything is timed.
  for (const [label, savers] of [
    ["bare action", floors],
    ["name save", names],
  ] as const) {
    const first = await savers[0].save();
    if (first.kind !== "ok") throw new Error(`the first ${label} did not succeed: ${first.kind} ${first.reason ?? ""}`);
  }
  log(`profile saves: warm-up, ${WARMUP} s each of the bare action and the name save at ${SAVE_CLIENTS} clients`);
  await sampleSaves(floors, WARMUP);
  await sampleSaves(names, WARMUP);
  const floorSamples: SaveSample[] = [];
  const nameSamples: SaveSample[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(
      `profile saves, round ${round} of ${ROUNDS}: bare action, then name save, ${SAVE_DURATION / ROUNDS} s each at ${SAVE_CLIENTS} clients`,
    );
    floorSamples.push(await sampleSaves(floors, SAVE_DURATION / ROUNDS));
    nameSamples.push(await sampleSaves(names, SAVE_DURATION / ROUNDS));
  }
  return {
    floor: saveRow("floor: bare action, one UPDATE (POST /bench-floor/action)", floorSamples),
    name: saveRow("name save (POST /account/profile, Name form)", nameSamples),
    reloads: names.reduce((a, n) => a + n.reloads, 0),
  };
}

/** `pages` are part 1's rows: the floor page and /account/profile are read from them. */
export function reportProfile(pages: PageRow[], saves: SaveFigures, pgRun: boolean) {
  const floorRow = pages[0];
  const profileRow = pages.find((p) => p.label.startsWith("GET /account/profile"))!;
  const { floor, name } = saves;
  console.log("");
  console.log(
    `3) Edit Profile (issue 3): the page from part 1; saves at ${SAVE_CLIENTS} concurrent clients (each its own signed-in customer, no-JS server action POST) × ${SAVE_DURATION} s in ${ROUNDS} alternating rounds; latency in ms`,
  );
  table(
    [
      "save",
      "saves/s",
      "p50",
      "p95",
      "p99",
      "server CPU ms/save",
      ...(pgRun ? ["DB CPU ms/save"] : []),
      "ok / conflict / failed",
      "server cores",
      "client cores",
      ...(pgRun ? ["db cores"] : []),
      "other cores",
    ],
    [floor, name].map((r) => [
      r.label,
      f1(r.perSecond),
      f1(r.p50),
      f1(r.p95),
      f1(r.p99),
      f2(r.cpuPerSave),
      ...(pgRun ? [f2(r.dbCpuPerSave)] : []),
      `${r.ok} / ${r.conflicts} / ${r.failures}`,
      cores(r.cpu.serverMs, r.cpu.wallMs),
      cores(r.cpu.clientMs, r.cpu.wallMs),
      ...(pgRun ? [cores(r.cpu.dbMs, r.cpu.wallMs)] : []),
      cores(r.cpu.otherMs, r.cpu.wallMs),
    ]),
  );
  for (const r of [floor, name]) {
    for (const [reason, n] of r.reasons) console.log(`  ${r.label}: ${n}× failed: ${reason}`);
  }
  if (saves.reloads)
    console.log(
      `  the name-save clients re-read the page ${saves.reloads} time(s) after a conflict or failure (inside the timed window)`,
    );
  const withDb = (cpu: number, dbCpu: number) => cpu + (pgRun ? dbCpu : 0);
  let js: FirstLoad | undefined;
  let jsError = "";
  try {
    js = firstLoadJs("/account/profile");
  } catch (err) {
    jsError = (err as Error).message;
  }
  const kb = (b: number) => `${f1(b / 1024)} KB`;
  console.log("");
  table(
    ["figure", "value", "goal"],
    [
      [
        "GET /account/profile: server CPU ms/req ÷ floor page's",
        `${f2(profileRow.cpuPerReq)} ÷ ${f2(floorRow.cpuPerReq)} = ${f2(profileRow.cpuPerReq / floorRow.cpuPerReq)}×`,
        `≤ ${GOAL.cpuRatio}×`,
      ],
      ...(pgRun
        ? [
            [
              "  counting the DB backends' CPU too",
              `${f2(withDb(profileRow.cpuPerReq, profileRow.dbCpuPerReq) / withDb(floorRow.cpuPerReq, floorRow.dbCpuPerReq))}×`,
              "",
            ],
          ]
        : []),
      ["GET /account/profile p95 (floor page's p95), ms", `${f1(profileRow.p95)} (${f1(floorRow.p95)})`, ""],
      [
        "name save: server CPU ms/save ÷ bare action's",
        `${f2(name.cpuPerSave)} ÷ ${f2(floor.cpuPerSave)} = ${f2(name.cpuPerSave / floor.cpuPerSave)}×`,
        `≤ ${GOAL.cpuRatio}×`,
      ],
      ...(pgRun
        ? [
            [
              "  counting the DB backends' CPU too",
              `${f2(withDb(name.cpuPerSave, name.dbCpuPerSave) / withDb(floor.cpuPerSave, floor.dbCpuPerSave))}×`,
              "",
            ],
          ]
        : []),
      ["name save p95 (bare action's p95), ms", `${f1(name.p95)} (${f1(floor.p95)})`, ""],
      ...(js
        ? [
            ["first-load JS of /account/profile, gzip -9", kb(js.totalGz), ""],
            [`  shared by all ${js.routes} routes (framework + root layout)`, kb(js.sharedGz), ""],
            ["  the page's own (total − shared)", kb(js.ownGz), `≤ ${kb(GOAL.profileExtraJsBytes)}`],
          ]
        : [["first-load JS of /account/profile", `unavailable: ${jsError}`, ""]]),
    ],
    3,
  );
  if (js)
    console.log(`  the page's own chunks (gzip): ${js.own.map((c) => `${c.file} ${kb(c.gz)}`).join(", ") || "none"}`);
  console.log(
    `  Note: a no-JS save answers with the whole re-rendered page, so the name save's CPU includes rendering /account/profile (≈ ${f2(profileRow.cpuPerReq)} ms above); the bare action re-renders a one-form page.`,
  );
}
