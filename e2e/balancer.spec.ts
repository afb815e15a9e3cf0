import { rmSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { createDatabase, dropTestDatabase } from "../lib/test/pg-admin";
import { startAppServer, type AppServer } from "./support/app-server";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, newContext, signIn } from "./support/auth";
import { startBalancer, startSmtpSink } from "./support/balancer";
import { e2e } from "./support/config";
import { openSection, profileForm, sectionMessage, submitAction } from "./support/profile";
import { enterSecondStep } from "./support/totp";
import { randomSuffix } from "./support/users";

// Two instances behind a round-robin balancer that terminates TLS, as production runs several:
// one fresh database both migrate at once (under the advisory lock, db/migrate.ts), sessions in
// the database, the chat's events over LISTEN/NOTIFY, one outbox both drain.
test.skip(() => e2e.db !== "postgres", "needs Postgres: PGlite is embedded in one process, so no second instance");

// Clear of the run's own ports and of the other specs' extra instances (e2e.extraInstancePorts).
const PORTS = {
  a: e2e.port + 20,
  b: e2e.port + 21,
  aHttp: e2e.port + 22,
  bHttp: e2e.port + 23,
  balancer: e2e.port + 24,
};
const OUTBOX_EXTRA = 30;

/** Which instances answered GETs of `path` with this context's cookies, and what. */
async function probe(request: APIRequestContext, path: string, times = 2) {
  const seen: { backend: string; status: number; location: string }[] = [];
  for (let i = 0; i < times; i++) {
    const res = await request.get(path, { maxRedirects: 0 });
    seen.push({
      backend: res.headers()["x-balancer-backend"],
      status: res.status(),
      location: res.headers()["location"] ?? "",
    });
  }
  return seen;
}

const needHelp = (page: Page) => page.getByRole("button", { name: "Need Help", exact: true });
const panel = (page: Page) => page.getByRole("dialog", { name: "Chat with customer service" });

test("balancer: two instances started at once behind a round-robin TLS proxy share sessions, revocations, chat and one outbox", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const database = await createDatabase(`${e2e.databaseName}_balancer`);
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  const smtp = await startSmtpSink();
  const dataDirs = [`${e2e.dataDir}-balancer-a`, `${e2e.dataDir}-balancer-b`];
  const instances: AppServer[] = [];
  let balancer: Awaited<ReturnType<typeof startBalancer>> | undefined;
  try {
    const shared = {
      TRUST_PROXY: "127.0.0.1",
      // Mailed links point at the balancer, the one address customers reach.
      APP_URL: `https://localhost:${PORTS.balancer}`,
      SMTP_URL: smtp.url,
      LOCAL_MAILBOX: "off",
      PROFILE_MAIL_WINDOW: "1s",
    };
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    // Started together, not one after the other: both reach the migrations at once.
    instances.push(
      startAppServer(
        { port: PORTS.a, httpPort: PORTS.aHttp, dataDir: dataDirs[0], databaseUrl: database.url },
        { ...shared, SEED_DEMO: "always" },
      ),
      startAppServer(
        { port: PORTS.b, httpPort: PORTS.bHttp, dataDir: dataDirs[1], databaseUrl: database.url },
        { ...shared, SEED_DEMO: "never" },
      ),
    );
    await Promise.all(instances.map((s) => s.ready(60_000)));
    balancer = await startBalancer({
      port: PORTS.balancer,
      backends: [{ httpPort: PORTS.aHttp }, { httpPort: PORTS.bHttp }],
    });
    const baseURL = balancer.baseURL;

    // Mail that both workers race for: each row must be sent once.
    await db.query(
      `insert into mail_outbox (to_address, subject, text_body)
         select 'outbox-' || n || '@example.com', 'Outbox drain ' || n, 'body ' || n from generate_series(1, $1) n`,
      [OUTBOX_EXTRA],
    );

    // Sign-in, a profile save and a preference change, through the balancer.
    const deviceA = await newContext(browser, { baseURL });
    const page = await deviceA.newPage();
    await signIn(page, "demo", DEMO_PASSWORD);
    await page.goto("/account/profile");
    const phone = `(303) 555-${String(1000 + Math.floor(Math.random() * 9000))}`;
    await (await openSection(page, "phone")).getByLabel("Phone number").fill(phone);
    await submitAction(page, profileForm.phone(page).getByRole("button", { name: "Save phone number" }));
    await expect(sectionMessage.phone(page)).toHaveText("Your phone number was saved.");
    const { rows: stored } = await db.query<{ phone: string; id: string }>(
      "select id, phone from users where username = 'demo'",
    );
    expect(stored[0].phone).toBe(`+1303555${phone.slice(-4)}`);
    await openSection(page, "preferences");
    const offers = profileForm.preferences(page).getByRole("group", { name: /special offers/i });
    // The opposite of what the demo customer has, so the save changes something.
    const yes = offers.getByRole("radio", { name: "Yes", exact: true });
    const wanted = (await yes.isChecked()) ? "No" : "Yes";
    await offers.getByRole("radio", { name: wanted, exact: true }).check();
    await submitAction(page, profileForm.preferences(page).getByRole("button", { name: "Save e-mail preferences" }));
    await expect(sectionMessage.preferences(page)).toContainText("Your e-mail preferences were saved");
    const { rows: subs } = await db.query<{ status: string }>(
      "select status from subscriptions where user_id = $1 and topic_id = 'offers'",
      [stored[0].id],
    );
    expect(subs.map((s) => s.status)).toEqual([wanted === "Yes" ? "granted" : "withdrawn"]);

    // The session made through one instance is a session on both.
    const asA = await probe(deviceA.request, "/account", 4);
    expect(new Set(asA.map((s) => s.backend))).toEqual(new Set(["0", "1"]));
    expect(asA.every((s) => s.status === 200)).toBe(true);

    // A second device; "Sign out everywhere else" on whichever instance takes it; the second
    // device is signed out on both at its very next request.
    const deviceB = await newContext(browser, { baseURL });
    const pageB = await deviceB.newPage();
    await signIn(pageB, "demo", DEMO_PASSWORD);
    const beforeB = await probe(deviceB.request, "/account", 2);
    expect(beforeB.map((s) => s.status)).toEqual([200, 200]);
    await page.goto("/account/security");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.locator("#everywhere-message")).toHaveText("Signed out 1 other device.");
    const afterB = await probe(deviceB.request, "/account", 2);
    expect(new Set(afterB.map((s) => s.backend))).toEqual(new Set(["0", "1"]));
    for (const s of afterB) {
      expect(s.status).toBeGreaterThanOrEqual(300);
      expect(s.status).toBeLessThan(400);
      expect(s.location).toMatch(/\/login/);
    }
    expect((await probe(deviceA.request, "/account", 2)).map((s) => s.status)).toEqual([200, 200]);

    // Support chat: the rep (password + authenticator) and a visitor, each page's requests spread
    // over both instances; the live events cross between them.
    const repContext = await newContext(browser, { baseURL });
    const rep = await repContext.newPage();
    await rep.goto("/login");
    await rep.getByLabel("Username or account number").fill("rep");
    await rep.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await rep.getByRole("button", { name: "Sign in", exact: true }).click();
    await enterSecondStep(rep, DEMO_TOTP_SECRET, `rep-balancer-${e2e.runId}`);
    await rep.goto("/console/chats");
    await expect(rep.getByRole("heading", { level: 1 })).toHaveText("Support chats");
    await expect(rep.locator("#presence-status")).toContainText("You are available");

    const visitorContext = await newContext(browser, { baseURL });
    const visitor = await visitorContext.newPage();
    await visitor.goto("/");
    await needHelp(visitor).click();
    const dialog = panel(visitor);
    const name = `Visitor ${randomSuffix()}`;
    const question = `Is my payment through? ${randomSuffix()}`;
    await dialog.getByLabel("Your name").fill(name);
    await dialog.getByLabel("E-mail address").fill(`visitor-${randomSuffix()}@example.com`);
    await dialog.getByLabel("Your question").fill(question);
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await expect(dialog.getByRole("listitem").filter({ hasText: question })).toContainText("Sent");
    const item = rep.getByRole("list", { name: "Waiting chats" }).getByRole("listitem").filter({ hasText: name });
    await item.getByRole("button", { name: new RegExp(`^Take chat #\\d+ with ${name}$`) }).click();
    await expect(dialog).toContainText("You're chatting with Riley");
    const reply = `Yes, it arrived this morning. ${randomSuffix()}`;
    await rep.getByLabel("Your message").fill(reply);
    await rep.getByLabel("Your message").press("Enter");
    await expect(dialog.getByRole("listitem").filter({ hasText: reply })).toBeVisible();
    const followUp = `Thanks! ${randomSuffix()}`;
    await dialog.getByLabel("Your message").fill(followUp);
    await dialog.getByLabel("Your message").press("Enter");
    await expect(rep.getByRole("log", { name: /^Messages of chat #\d+$/ })).toContainText(followUp);

    // Both instances served this test.
    const served = new Set(balancer.log.map((l) => l.backend));
    expect(served).toEqual(new Set([0, 1]));

    // The outbox drained once: every row sent, and each recipient got as many mails as rows.
    await expect
      .poll(
        async () =>
          (
            await db.query<{ n: number }>(
              "select count(*)::int as n from mail_outbox where status in ('pending', 'sending')",
            )
          ).rows[0].n,
        { timeout: 30_000, message: "both workers drain the outbox" },
      )
      .toBe(0);
    const { rows: sent } = await db.query<{ to_address: string; n: number }>(
      "select to_address, count(*)::int as n from mail_outbox where status = 'sent' group by to_address",
    );
    const received = new Map<string, number>();
    for (const m of smtp.received) received.set(m.to, (received.get(m.to) ?? 0) + 1);
    expect(Object.fromEntries(received)).toEqual(Object.fromEntries(sent.map((r) => [r.to_address, r.n])));
    expect(sent.reduce((n, r) => n + r.n, 0)).toBeGreaterThanOrEqual(OUTBOX_EXTRA);

    await Promise.all([deviceA.close(), deviceB.close(), repContext.close(), visitorContext.close()]);
  } catch (err) {
    for (const [i, s] of instances.entries()) await test.info().attach(`instance ${i} output`, { body: s.output() });
    throw err;
  } finally {
    await balancer?.close();
    await Promise.all(instances.map((s) => s.stop()));
    await smtp.close();
    await db.end();
    await dropTestDatabase(database.name);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
});
