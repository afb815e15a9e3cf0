import { expect, test } from "@playwright/test";
import { e2e } from "../support/config";
import { createCustomer, testDb, type TestCustomer } from "../support/users";
import { actionId, callAction, changedTables, snapshot, type ActionReply } from "./support";

/*
 * Sign-in throttling is counted per account (and per account and address), not per spelling or
 * per claimed address: rotating X-Forwarded-For (untrusted here: no TRUST_PROXY), the username's
 * casing, and the account number instead of the username all spend the same free failures, and
 * the attempt after them — even with the right password — is refused with a wait. Nothing is
 * signed in, and the owner hears about it once, not once per attempt.
 */

test.skip(e2e.db !== "postgres", "checks the run's Postgres database directly");

const FREE_PER_ACCOUNT_ADDRESS = 5; // LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS's default (README)

function signIn(identifier: string, password: string, headers: Record<string, string> = {}) {
  return callAction({
    id: actionId("app/login/actions.ts", "signInAction"),
    page: "/login",
    headers,
    input: { identifier, password },
  });
}

function codeOf(reply: ActionReply): string {
  const v = reply.value as { ok?: boolean; code?: string; formError?: string } | null;
  if (reply.redirect) return `redirect ${reply.redirect}`;
  return v?.ok === false ? (v.code ?? "refused") : `HTTP ${reply.status}`;
}

const spellings = (c: TestCustomer) => [
  c.username,
  c.username.toUpperCase(),
  c.accountNumber,
  ` ${c.username} `,
  c.username.replace(/^e2e/, "E2E"),
];
const forwardedFor = (i: number) => ({
  "x-forwarded-for": `198.51.100.${i + 1}`,
  "x-real-ip": `203.0.113.${i + 1}`,
  forwarded: `for=192.0.2.${i + 1}`,
});

test("throttle: rotating X-Forwarded-For and the username's spelling does not buy more guesses; the right password then waits too", async () => {
  const victim = await createCustomer();
  const wrong: string[] = [];
  for (let i = 0; i < FREE_PER_ACCOUNT_ADDRESS; i++) {
    const spelling = spellings(victim)[i % spellings(victim).length];
    const reply = await signIn(spelling, `guess-${i}`, forwardedFor(i));
    if (codeOf(reply) !== "incorrectSignIn" && codeOf(reply) !== "invalidCredentials")
      wrong.push(`free failure ${i + 1} (${spelling}): ${codeOf(reply)}`);
  }
  const before = await snapshot([victim.id]);
  // Past the free failures: every spelling, every claimed address, and the right password wait.
  for (const [i, spelling] of spellings(victim).entries()) {
    for (const password of [`guess-after-${i}`, victim.password]) {
      const reply = await signIn(spelling, password, forwardedFor(100 + i));
      const code = codeOf(reply);
      const v = reply.value as { formError?: string } | null;
      if (!["slowDown", "tooManyAttempts"].includes(code))
        wrong.push(
          `after the free failures, ${spelling} / ${password === victim.password ? "right" : "wrong"} password: ${code}`,
        );
      else if (!/try again in/i.test(v?.formError ?? "")) wrong.push(`no wait in the words: ${v?.formError}`);
      if (reply.headers["set-cookie"]?.some((c) => c.includes("session-token=") && !c.includes("session-token=;")))
        wrong.push(`${spelling}: a session cookie was set`);
    }
  }
  expect(wrong).toEqual([]);
  // Nothing was signed in, and nothing else of the victim's changed but the throttle's own count
  // and the one alert (audit rows and the outbox are the places those live).
  const changed = changedTables(before, await snapshot([victim.id])).filter(
    (t) => !/^(audit_events|mail_outbox)\./.test(t),
  );
  expect(changed).toEqual([]);
  const sessions = await testDb().query("select 1 from sessions where user_id = $1", [victim.id]);
  expect(sessions.rowCount).toBe(0);
  // The owner is told once that their account is being guessed at, not once per attempt.
  const alerts = await testDb().query<{ subject: string }>(
    "select subject from mail_outbox where user_id = $1 and mail_class = 'transactional'",
    [victim.id],
  );
  expect(alerts.rowCount).toBeLessThanOrEqual(1);
});

test("throttle: the account number and the username are one account to the counter", async () => {
  const victim = await createCustomer();
  for (let i = 0; i < FREE_PER_ACCOUNT_ADDRESS; i++) {
    expect(codeOf(await signIn(i % 2 ? victim.accountNumber : victim.username, `guess-${i}`))).toMatch(
      /incorrect|invalid/i,
    );
  }
  for (const identifier of [victim.accountNumber, victim.username, victim.username.toUpperCase()]) {
    expect(codeOf(await signIn(identifier, `guess-more`))).toMatch(/slowDown|tooManyAttempts/);
  }
});
