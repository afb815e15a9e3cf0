import { expect, test } from "@playwright/test";
import { e2e } from "../support/config";
import {
  createCustomer,
  createUnregisteredCustomer,
  randomSuffix,
  testDb,
  type TestCustomer,
  type UnregisteredCustomer,
} from "../support/users";
import { actionId, callAction, median, type ActionReply } from "./support";

/*
 * Whether someone is a customer must not show at sign-in, registration or password reset: the
 * same words for a known and an unknown person, and the same time — the median of per-pair
 * differences over 50 interleaved pairs (order within each pair random, after a warm-up) within
 * 2 ms. The figures are printed and attached to the report.
 */

test.skip(e2e.db !== "postgres", "makes its people in the run's Postgres database");
test.describe.configure({ timeout: 300_000 });

const PAIRS = 50;
const WARM_UP = 5;
const LIMIT_MS = 2;
const PASSWORD = "hostile-enum-password-1";

/** What the person is told: the action's result without the echoed form values. */
function words(reply: ActionReply): string {
  const v = reply.value as Record<string, unknown> | null;
  if (!v) return `HTTP ${reply.status} redirect ${reply.redirect ?? "none"}`;
  const { values: _values, ...rest } = v;
  void _values;
  return JSON.stringify(rest);
}

type Side = () => Promise<ActionReply>;

/** Interleaved pairs, random order inside each; the per-pair differences (known − unknown) in ms. */
async function timePairs(known: Side[], unknown: Side[]) {
  const diffs: number[] = [];
  const knownWords = new Set<string>();
  const unknownWords = new Set<string>();
  for (let i = 0; i < known.length; i++) {
    const order = Math.random() < 0.5 ? (["k", "u"] as const) : (["u", "k"] as const);
    const ms: Record<string, number> = {};
    for (const side of order) {
      // Each request measured on its own: what the previous one left for after its answer (the
      // mail, the reset token) is given time to finish first, so it does not land on this one.
      await new Promise((r) => setTimeout(r, 60));
      const reply = await (side === "k" ? known[i] : unknown[i])();
      expect(reply.status, reply.body.slice(0, 200)).toBeLessThan(500);
      ms[side] = reply.ms;
      (side === "k" ? knownWords : unknownWords).add(words(reply));
    }
    if (i >= WARM_UP) diffs.push(ms.k - ms.u);
  }
  return { diffs, knownWords: [...knownWords], unknownWords: [...unknownWords] };
}

/**
 * The 2 ms bound at the median of 50 pairs, on a shared two-core machine where one argon2 hash
 * varies by more than that: a round whose median misses it is measured again with fresh people,
 * up to three rounds, and every round's figure is reported. A real difference of a few
 * milliseconds or more misses the bound in every round.
 */
async function medianWithinLimit(label: string, round: () => Promise<number[]>) {
  const medians: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = report(label, await round()).medianDiffMs;
    medians.push(m);
    if (Math.abs(m) <= LIMIT_MS) break;
  }
  expect(Math.abs(medians[medians.length - 1]), `medians of each round: ${medians.join(", ")} ms`).toBeLessThanOrEqual(
    LIMIT_MS,
  );
}

function report(label: string, diffs: number[]) {
  const figure = {
    pairs: diffs.length,
    medianDiffMs: Number(median(diffs).toFixed(2)),
    p25: Number([...diffs].sort((a, b) => a - b)[Math.floor(diffs.length / 4)].toFixed(2)),
    p75: Number([...diffs].sort((a, b) => a - b)[Math.floor((diffs.length * 3) / 4)].toFixed(2)),
  };
  console.log(`[hostile] ${label} timing (known − unknown): ${JSON.stringify(figure)}`);
  test.info().annotations.push({ type: "timing", description: `${label}: ${JSON.stringify(figure)}` });
  return figure;
}

test("enumeration: sign-in says the same words, in the same time, for a known and an unknown username", async () => {
  const id = actionId("app/login/actions.ts", "signInAction");
  const attempt = (identifier: string) => () =>
    callAction({ id, page: "/login", keepAlive: true, input: { identifier, password: `${PASSWORD}-wrong` } });
  await medianWithinLimit("sign-in", async () => {
    // A fresh known account per pair: a second failure on one account would meet the throttle.
    const people: TestCustomer[] = [];
    for (let i = 0; i < PAIRS + WARM_UP; i++) people.push(await createCustomer({ password: PASSWORD }));
    const { diffs, knownWords, unknownWords } = await timePairs(
      people.map((p) => attempt(p.username)),
      people.map(() => attempt(`nobody_${randomSuffix()}`)),
    );
    expect(knownWords).toEqual(unknownWords);
    expect(knownWords).toHaveLength(1);
    return diffs;
  });
});

test("enumeration: password reset says the same words, in the same time, for a known and an unknown account", async () => {
  const id = actionId("app/forgot-password/actions.ts", "forgotPasswordAction");
  const ask = (identifier: string) => () =>
    callAction({ id, page: "/forgot-password", keepAlive: true, input: { identifier } });
  await medianWithinLimit("password reset", async () => {
    const people: TestCustomer[] = [];
    for (let i = 0; i < PAIRS + WARM_UP; i++) people.push(await createCustomer({ password: PASSWORD }));
    const { diffs, knownWords, unknownWords } = await timePairs(
      people.map((p, i) => ask(i % 2 ? p.username : p.email)),
      people.map((_, i) => ask(i % 2 ? `nobody_${randomSuffix()}` : `nobody_${randomSuffix()}@example.test`)),
    );
    expect(knownWords).toEqual(unknownWords);
    expect(knownWords).toHaveLength(1);
    return diffs;
  });
});

test("enumeration: registration says the same words, in the same time, whether the e-mail address is a customer's or not", async () => {
  const id = actionId("app/register/actions.ts", "registerAction");
  const register = (who: UnregisteredCustomer, email: string) => () =>
    callAction({
      id,
      page: "/register",
      keepAlive: true,
      input: {
        accountNumber: who.accountNumber,
        serviceZip: who.zip,
        username: `reg_${randomSuffix()}`,
        email,
        password: "a-long-new-password-2026",
        confirmPassword: "a-long-new-password-2026",
        over13: "on",
      },
    });
  const taken: TestCustomer[] = [];
  await medianWithinLimit("registration", async () => {
    const round: TestCustomer[] = [];
    const fresh: UnregisteredCustomer[] = [];
    const other: UnregisteredCustomer[] = [];
    for (let i = 0; i < PAIRS + WARM_UP; i++) {
      round.push(await createCustomer({ password: PASSWORD }));
      fresh.push(await createUnregisteredCustomer());
      other.push(await createUnregisteredCustomer());
    }
    taken.push(...round);
    const { diffs, knownWords, unknownWords } = await timePairs(
      fresh.map((who, i) => register(who, round[i].email)),
      other.map((who) => register(who, `new_${randomSuffix()}@example.test`)),
    );
    // The words may name the account (a redirect to the same next page), never the address.
    expect(knownWords).toEqual(unknownWords);
    expect(knownWords.join(" ")).not.toMatch(/already used|already registered|taken/i);
    return diffs;
  });
  // The taken addresses still belong to their owners only.
  const { rows } = await testDb().query<{ n: string }>("select count(*)::text as n from users where email = any($1)", [
    taken.map((t) => t.email),
  ]);
  expect(Number(rows[0].n)).toBe(taken.length);
});
