import { readFileSync, rmSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { MIGRATION_LOCK_KEY } from "../db/migration-lock";
import { createDatabase, dropTestDatabase } from "../lib/test/pg-admin";
import { startAppServer, type AppServer } from "./support/app-server";
import { newContext, storageStateFor } from "./support/auth";
import { e2e } from "./support/config";
import { randomSuffix, testDb } from "./support/users";

// Several app instances on one Postgres: the chat's live events cross between them through
// LISTEN/NOTIFY (lib/chat/bus.ts), and instances starting together migrate one at a time under an
// advisory lock (db/migrate.ts). A second instance cannot share an embedded PGlite database.
test.skip(() => e2e.db !== "postgres", "needs Postgres: PGlite is embedded in one process, so no second instance");

const needHelp = (page: Page) => page.getByRole("button", { name: "Need Help", exact: true });
const panel = (page: Page) => page.getByRole("dialog", { name: "Chat with customer service" });

/** Records the status of every chat stream the page opens (the live path, as opposed to polling). */
function streamStatuses(page: Page): number[] {
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === "/api/chat/stream") statuses.push(r.status());
  });
  return statuses;
}

test.describe("chat across two instances", () => {
  // Instance A is the run's own server (serve.ts, via the proxy); B is started here, directly on
  // the run's database.
  let b: AppServer;
  const bDataDir = `${e2e.dataDir}-b`;

  test.beforeAll(async () => {
    test.setTimeout(60_000);
    rmSync(bDataDir, { recursive: true, force: true });
    b = startAppServer(
      { ...e2e.extraInstancePorts(1), dataDir: bDataDir, databaseUrl: e2e.databaseUrl },
      { SEED_DEMO: "never" },
    );
    await b.ready();
  });

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("instance B output", { body: b.output() });
  });

  test.afterAll(async () => {
    await b?.stop();
    rmSync(bDataDir, { recursive: true, force: true });
  });

  test("support chat: a visitor on instance A and the rep on instance B talk both ways live", async ({ browser }) => {
    // The session cookie is host-only (__Host-), and cookies ignore ports: the rep's saved
    // sign-in from A is a session on B as well (same database, same AUTH_SECRET).
    const repContext = await newContext(browser, { storageState: storageStateFor("rep"), baseURL: b.baseURL });
    const rep = await repContext.newPage();
    const repStreams = streamStatuses(rep);
    await rep.goto("/console/chats");
    expect(new URL(rep.url()).port).toBe(String(b.port));
    await expect(rep.getByRole("heading", { level: 1 })).toHaveText("Support chats");
    await expect(rep.locator("#presence-status")).toContainText("You are available");

    // Presence lives in the database: the rep's console on B is what the widget on A reads. Other
    // specs set the same rep away and back, so it is stated once more right before the start.
    await testDb().query(
      `insert into chat_presence (staff_id, away, last_seen_at)
         select id, false, now() from users where username = 'rep'
       on conflict (staff_id) do update set away = false, last_seen_at = now()`,
    );
    const visitorContext = await newContext(browser);
    const visitor = await visitorContext.newPage();
    const visitorStreams = streamStatuses(visitor);
    await visitor.goto("/");
    expect(new URL(visitor.url()).port).toBe(String(e2e.port));
    await needHelp(visitor).click();
    const dialog = panel(visitor);
    const name = `Visitor ${randomSuffix()}`;
    const question = `Is my payment through? ${randomSuffix()}`;
    await dialog.getByLabel("Your name").fill(name);
    await dialog.getByLabel("E-mail address").fill(`visitor-${randomSuffix()}@example.com`);
    await dialog.getByLabel("Your question").fill(question);
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await expect(dialog.getByRole("listitem").filter({ hasText: question })).toContainText("Sent");

    // Started on A, queued on B's console without a reload.
    const item = rep.getByRole("list", { name: "Waiting chats" }).getByRole("listitem").filter({ hasText: name });
    await expect(item).toContainText("Visitor");
    await item.getByRole("button", { name: new RegExp(`^Take chat #\\d+ with ${name}$`) }).click();
    const heading = rep.getByRole("heading", { name: new RegExp(`^Chat #\\d+ with ${name}$`) });
    await expect(heading).toBeVisible();
    const conversationId = Number(/#(\d+)/.exec((await heading.textContent()) ?? "")![1]);
    const log = rep.getByRole("log", { name: `Messages of chat #${conversationId}` });
    await expect(log).toContainText(question);

    // Taken on B: the visitor on A sees the rep join, by first name.
    await expect(dialog.getByRole("listitem").filter({ hasText: "Riley joined" })).toBeVisible();
    await expect(dialog).toContainText("You're chatting with Riley");

    // Typing crosses instances too; it is never stored, so only the live path can carry it.
    const repBox = rep.getByLabel("Your message");
    const reply = `Yes, it arrived this morning. ${randomSuffix()}`;
    await repBox.fill(reply);
    await expect(dialog.getByText("Riley is typing")).toBeVisible();
    await repBox.press("Enter");
    await expect(log).toContainText(reply);
    await expect(dialog.getByRole("listitem").filter({ hasText: reply })).toBeVisible();
    await expect(dialog.getByText("Riley is typing")).toHaveCount(0);

    const visitorBox = dialog.getByLabel("Your message");
    const followUp = `Thanks! And the next one? ${randomSuffix()}`;
    await visitorBox.fill(followUp);
    await expect(rep.getByText(`${name} is typing…`)).toBeVisible();
    await visitorBox.press("Enter");
    // The stream may show the message before the send's own answer does: "Sending…" and "Sent"
    // side by side for a moment, then one.
    const sent = dialog.getByRole("listitem").filter({ hasText: followUp });
    await expect(sent.filter({ hasText: "Sent" })).toBeVisible();
    await expect(sent).toHaveCount(1);
    await expect(log).toContainText(followUp);

    // Ended on B, ended on A.
    await rep.getByRole("button", { name: "End chat", exact: true }).click();
    await rep.getByLabel("Reason for ending").selectOption("Question answered");
    await rep.getByRole("button", { name: "End chat now" }).click();
    await expect(rep.getByText(/This chat has ended: Question answered/)).toBeVisible();
    await expect(dialog).toContainText("This chat has ended");

    // All of it came over each instance's own stream, not the widget's polling fallback.
    expect(visitorStreams.length).toBeGreaterThan(0);
    expect(visitorStreams.every((s) => s === 200)).toBe(true);
    expect(repStreams.length).toBeGreaterThan(0);
    expect(repStreams.every((s) => s === 200)).toBe(true);
    const { rows } = await testDb().query<{ author: string; body: string }>(
      `select author, body from chat_messages where conversation_id = $1 and kind = 'message' order by seq`,
      [conversationId],
    );
    expect(rows.filter((r) => [question, reply, followUp].includes(r.body)).map((r) => r.author)).toEqual([
      "customer",
      "rep",
      "customer",
    ]);

    await Promise.all([repContext.close(), visitorContext.close()]);
  });
});

test("server: two instances started at once on an empty database both come up, and the migrations run once", async () => {
  test.setTimeout(90_000);
  const fresh = await createDatabase(`${e2e.databaseName}_fresh`);
  const dataDirs = [`${e2e.dataDir}-fresh-1`, `${e2e.dataDir}-fresh-2`];
  // Holding the migration lock first makes both instances reach it and wait at the same time,
  // however unevenly they start; releasing it lets them race for it.
  const holder = new pg.Client({ connectionString: fresh.url });
  await holder.connect();
  const servers: AppServer[] = [];
  try {
    await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    for (const [i, dataDir] of dataDirs.entries()) {
      rmSync(dataDir, { recursive: true, force: true });
      servers.push(
        startAppServer({ ...e2e.extraInstancePorts(2 + i), dataDir, databaseUrl: fresh.url }, { SEED_DEMO: "never" }),
      );
    }
    // A bigint key is held as classid (high half) and objid (low half), objsubid 1.
    const waiting = () =>
      holder
        .query<{ n: number }>(
          `select count(*)::int as n from pg_locks
            where locktype = 'advisory' and not granted and classid = 0 and objid = $1 and objsubid = 1
              and database = (select oid from pg_database where datname = current_database())`,
          [MIGRATION_LOCK_KEY],
        )
        .then((r) => r.rows[0].n);
    await expect.poll(waiting, { timeout: 45_000, message: "both instances wait for the migration lock" }).toBe(2);
    await holder.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);

    await Promise.all(servers.map((s) => s.ready(45_000)));
    const journal = JSON.parse(readFileSync("drizzle/meta/_journal.json", "utf8")) as { entries: unknown[] };
    const applied = await holder.query<{ hash: string }>(`select hash from drizzle.__drizzle_migrations`);
    expect(applied.rows).toHaveLength(journal.entries.length);
    expect(new Set(applied.rows.map((r) => r.hash)).size).toBe(journal.entries.length);
    for (const s of servers) expect(s.output()).not.toMatch(/error/i);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await holder.end().catch(() => {});
    await dropTestDatabase(fresh.name);
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }
});
