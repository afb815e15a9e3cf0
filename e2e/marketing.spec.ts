import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { signed } from "../components/console/marketing/consent-chart-model";
import { formulaSafe } from "../lib/csv/cell";
import { parseCsv } from "../lib/test/csv";
import {
  auditSince,
  dbNow,
  deliveredMail,
  mailboxRows,
  setConsent,
  userIdOf,
  type TopicId,
} from "./support/preferences";
import { createCustomer, randomSuffix, testDb } from "./support/users";

const FORBIDDEN_HEADING = "You don't have access to this page";
const EXPORT_HEADER = ["email", "first_name", "topic", "opted_in_at", "source", "wording_version", "unsubscribe_url"];
const TOPICS = { offers: "Special offers", newsletter: "Monthly newsletter" } as const;

test.use({ storageState: storageStateFor("marketing") });

/** Current opt-ins per topic, as the database has them. */
async function dbOptIns(): Promise<Record<TopicId, number>> {
  const { rows } = await testDb().query<{ topic_id: TopicId; n: number }>(
    `select topic_id, count(*)::int as n from subscriptions where status = 'granted' group by topic_id`,
  );
  return { offers: 0, newsletter: 0, ...Object.fromEntries(rows.map((r) => [r.topic_id, r.n])) };
}

/** Ledger events per topic over the chart's 90 days (UTC), and today's. */
async function dbConsentTotals(topic: TopicId) {
  const { rows } = await testDb().query<{ ins: number; outs: number; today_ins: number; today_outs: number }>(
    `select count(*) filter (where action = 'granted')::int as ins,
            count(*) filter (where action = 'withdrawn')::int as outs,
            count(*) filter (where action = 'granted' and (created_at at time zone 'utc')::date = (now() at time zone 'utc')::date)::int as today_ins,
            count(*) filter (where action = 'withdrawn' and (created_at at time zone 'utc')::date = (now() at time zone 'utc')::date)::int as today_outs
       from consent_events
      where topic_id = $1 and (created_at at time zone 'utc')::date > (now() at time zone 'utc')::date - 90`,
    [topic],
  );
  return rows[0];
}

const neutralized = formulaSafe;

/** What the export of `topic` must hold: every current opt-in with an e-mail, by user id. */
async function expectedExportRows(topic: TopicId): Promise<string[][]> {
  const { rows } = await testDb().query<{
    email: string;
    first_name: string;
    opted_in_at: string;
    source: string;
    wording_version: number;
  }>(
    `select u.email, u.first_name, to_char(s.opted_in_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as opted_in_at,
            s.source::text as source, s.wording_version
       from subscriptions s join users u on u.id = s.user_id
      where s.topic_id = $1 and s.status = 'granted' and u.email is not null
      order by s.user_id`,
    [topic],
  );
  return rows.map((r) => [
    neutralized(r.email),
    neutralized(r.first_name),
    topic,
    r.opted_in_at,
    r.source,
    String(r.wording_version),
  ]);
}

async function downloadExport(page: Page, topic: TopicId): Promise<{ filename: string; text: string }> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: `Export CSV of ${TOPICS[topic]} opt-ins` }).click();
  const file = await download;
  return { filename: file.suggestedFilename(), text: await readFile(await file.path(), "utf8") };
}

const topicSection = (page: Page, topic: TopicId) => page.getByRole("region", { name: TOPICS[topic], exact: true });

test("marketing: the console shows each topic's current opt-ins and a 90-day chart, as the database counts them", async ({
  page,
}) => {
  // Someone opts in today, so today's bar and the totals have something of this test's in them.
  const user = await createCustomer();
  await setConsent(user.id, ["offers"]);

  // Other tests change choices meanwhile: compare page and database until one read agrees.
  await expect(async () => {
    await page.goto("/console/marketing");
    const counts = await dbOptIns();
    for (const topic of ["offers", "newsletter"] as const) {
      await expect(page.getByTestId(`optins-${topic}`)).toHaveText(counts[topic].toLocaleString("en-US"), {
        timeout: 500,
      });
      const totals = await dbConsentTotals(topic);
      const caption = new RegExp(
        `^${TOPICS[topic]}, last 90 days \\(.+, dates in UTC\\): ${totals.ins} opt-ins and ${totals.outs} opt-outs, net growth ${signed(totals.ins - totals.outs).replace("+", "\\+")}\\.$`,
      );
      await expect(topicSection(page, topic).getByRole("figure")).toHaveAccessibleName(caption, { timeout: 500 });
      // The exact figures, in a table beside the chart: today's row (e2e/marketing-chart.spec.ts checks every row).
      const today = new Date().toISOString().slice(0, 10);
      const todayRow = topicSection(page, topic)
        .getByRole("row")
        .filter({ has: page.locator(`time[datetime="${today}"]`) });
      if (totals.today_ins + totals.today_outs === 0)
        await expect(todayRow, "days without changes are left out").toHaveCount(0);
      else
        await expect(todayRow.getByRole("cell")).toHaveText(
          [String(totals.today_ins), String(totals.today_outs), signed(totals.today_ins - totals.today_outs)],
          { timeout: 500 },
        );
    }
  }).toPass({ timeout: 15_000 });
  expect((await dbConsentTotals("offers")).today_ins).toBeGreaterThan(0);
  // One bar per day with any opt-in: the chart draws what the table says.
  await expect(
    topicSection(page, "offers").getByTestId("consent-chart").locator("rect[data-kind='opt-ins']"),
  ).not.toHaveCount(0);
});

test("marketing: “View the list” is searchable and shows only e-mail, first name, topic, opted-in since and source", async ({
  page,
}) => {
  const optedIn = await createCustomer();
  await setConsent(optedIn.id, ["offers"]);
  const saidNo = await createCustomer();
  await setConsent(saidNo.id, ["offers"]);
  await setConsent(saidNo.id, ["offers"], "withdrawn");

  await page.goto("/console/marketing");
  await page.getByRole("link", { name: "View the list for Special offers" }).click();
  await expect(page).toHaveURL("/console/marketing/list?topic=offers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opted in to Special offers");
  await expect(page.getByRole("columnheader")).toHaveText([
    "E-mail",
    "First name",
    "Topic",
    "Opted in since",
    "Source",
  ]);

  const search = page.getByRole("search");
  await search.getByLabel("Search e-mail or first name").fill(optedIn.email);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  const { rows } = await testDb().query<{ opted_in_at: Date }>(
    `select opted_in_at from subscriptions where user_id = $1 and topic_id = 'offers'`,
    [optedIn.id],
  );
  const since = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(rows[0].opted_in_at);
  await expect(page.getByTestId("optin-row")).toHaveCount(1);
  await expect(page.getByTestId("optin-row").getByRole("cell")).toHaveText([
    optedIn.email,
    optedIn.firstName,
    "Special offers",
    since,
    "register",
  ]);

  // Someone who said yes and then no is not on the list.
  await search.getByLabel("Search e-mail or first name").fill(saidNo.email);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("Nobody opted in matches that search.")).toBeVisible();
  await expect(page.getByTestId("optin-row")).toHaveCount(0);
});

test("marketing: Export CSV holds exactly the current opt-ins, neutralises formulas, is audited, and every unsubscribe link works", async ({
  page,
  request,
}) => {
  const marketingId = await userIdOf("marketing");
  const formula = await createCustomer();
  await testDb().query(`update users set first_name = '=HYPERLINK("x")' where id = $1`, [formula.id]);
  await setConsent(formula.id, ["offers"]);
  const saidNo = await createCustomer();
  await setConsent(saidNo.id, ["offers"]);
  await setConsent(saidNo.id, ["offers"], "withdrawn");
  const since = await dbNow();

  await page.goto("/console/marketing");
  let csv: string[][] = [];
  // Other tests opt people in and out meanwhile: retry until no choice changed during a download.
  await expect(async () => {
    const before = await expectedExportRows("offers");
    const { filename, text } = await downloadExport(page, "offers");
    const after = await expectedExportRows("offers");
    expect(filename).toMatch(/^opt-ins-offers-\d{4}-\d{2}-\d{2}\.csv$/);
    csv = parseCsv(text);
    expect(after, "no choice changed during the download").toEqual(before);
    expect(csv[0]).toEqual(EXPORT_HEADER);
    expect(csv.slice(1).map((r) => r.slice(0, 6))).toEqual(before);
  }).toPass({ timeout: 20_000 });

  const body = csv.slice(1);
  const byEmail = new Map(body.map((r) => [r[0], r]));
  expect(byEmail.get(formula.email)?.slice(1, 3)).toEqual([`'=HYPERLINK("x")`, "offers"]);
  expect(byEmail.has(saidNo.email)).toBe(false);

  // The export is audited with its row count.
  await expect
    .poll(async () => (await auditSince("marketing.export", marketingId, since)).at(-1)?.detail)
    .toMatchObject({ topic: "offers", rows: body.length, complete: true });

  // Each row's one-click link names that person and topic (a GET shows the page and changes nothing).
  for (const [email, , , , , , url] of body) {
    expect(url).toMatch(/^https:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{40,}$/);
    const res = await request.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBe(200);
    const html = await res.text();
    // React's markup: text parts may be separated by empty comments.
    const text = html.replace(/<!-- -->/g, "");
    expect(text).toMatch(/<h1[^>]*>Unsubscribe from Special offers<\/h1>/);
    expect(text).toContain(`for <strong>${email.replace(/^'/, "")}</strong>`);
  }
  const { rows } = await testDb().query(`select status from subscriptions where user_id = $1`, [formula.id]);
  expect(rows).toEqual([{ status: "granted" }]);
});

test("marketing: a newsletter is previewed with its recipient count, sent to that many people, and its progress reaches sent = N", async ({
  page,
}) => {
  const reader = await createCustomer();
  await setConsent(reader.id, ["newsletter"]);
  const unsubscribed = await createCustomer();
  await setConsent(unsubscribed.id, ["newsletter"]);
  await setConsent(unsubscribed.id, ["newsletter"], "withdrawn");
  const subject = `E2E console newsletter ${randomSuffix()}`;

  await page.goto("/console/marketing");
  const form = page.getByRole("form", { name: "Send a newsletter" });
  await form.getByLabel("Topic").selectOption({ label: "Monthly newsletter" });
  await form.getByLabel("Subject").fill(subject);
  await form.getByLabel("Message (Markdown)").fill("Hello **readers**.");
  const t0 = await dbNow();
  const before = (await dbOptIns()).newsletter;
  await form.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("newsletter-preview");
  await expect(preview.getByRole("heading", { level: 3 })).toHaveText(
    /^Preview — to \d+ (person|people) opted in to Monthly newsletter$/,
  );
  const n = Number((await preview.getByRole("heading", { level: 3 }).textContent())!.match(/to (\d+) /)![1]);
  const after = (await dbOptIns()).newsletter;
  // The count is the database's (exact unless someone changed their choice during the preview).
  expect(n).toBeGreaterThanOrEqual(Math.min(before, after));
  expect(n).toBeLessThanOrEqual(Math.max(before, after));
  await expect(preview).toContainText(`Subject: ${subject}`);
  // Both parts as sent (e2e/marketing-send.spec.ts checks them in detail).
  await expect(preview.getByTestId("preview-text")).toContainText("Hello *readers*.");
  await expect(
    page.frameLocator('iframe[title="HTML part of the newsletter, as sent"]').locator("strong").first(),
  ).toHaveText("readers");
  // The form still holds what was previewed, so “Send” sends exactly that.
  await expect(form.getByLabel("Topic")).toHaveValue("newsletter");
  await expect(form.getByLabel("Subject")).toHaveValue(subject);
  await expect(form.getByLabel("Message (Markdown)")).toHaveValue("Hello **readers**.");

  await form.getByRole("button", { name: `Send to ${n} ${n === 1 ? "person" : "people"}`, exact: true }).click();
  await expect(page.locator("#newsletter-message")).toHaveText(
    "Sending to everyone opted in to Monthly newsletter. Progress is shown below.",
  );

  // Progress, as the page refreshes itself (no reload here): every recipient is sent or stopped.
  const row = page.getByTestId("newsletter-row").filter({ hasText: subject });
  const cells = row.getByRole("cell");
  await expect(row.getByTestId("newsletter-status")).toHaveText("Sent", { timeout: 20_000 });
  await expect(cells.nth(4)).toHaveText("0"); // queued
  const [recipients, queued, sent, failed, stopped] = (await cells.allTextContents()).slice(3).map(Number);
  expect({ queued, failed }).toEqual({ queued: 0, failed: 0 });
  expect(sent + stopped).toBe(recipients);

  const { rows: outbox } = await testDb().query<{ user_id: string; status: string; created_at: Date }>(
    `select o.user_id, o.status, n.created_at from mail_outbox o join newsletters n on n.id = o.newsletter_id where n.subject = $1`,
    [subject],
  );
  expect(outbox).toHaveLength(recipients);
  expect(outbox.filter((o) => o.status === "sent")).toHaveLength(sent);
  // Choices made by other tests between the preview and the end of the send, if any.
  const { rows: changes } = await testDb().query<{ ins: number; outs: number }>(
    `select count(*) filter (where action = 'granted')::int as ins, count(*) filter (where action = 'withdrawn')::int as outs
       from consent_events where topic_id = 'newsletter' and created_at >= $1`,
    [t0],
  );
  // Without choices from elsewhere the figures are exact; with them, bounded by those choices.
  if (changes[0].ins === 0) expect(recipients).toBe(n);
  if (changes[0].ins === 0 && changes[0].outs === 0) expect(sent).toBe(n);
  expect(sent).toBeGreaterThanOrEqual(n - changes[0].outs);
  expect(sent).toBeLessThanOrEqual(n + changes[0].ins);

  // The opted-in reader got it; the one who unsubscribed was not even queued.
  const mail = await deliveredMail(reader.email, subject);
  expect(mail.headers["List-Id"]).toBe("Monthly newsletter <newsletter.lumen-telecom.example>");
  expect(outbox.map((o) => o.user_id)).toContain(reader.id);
  expect(outbox.map((o) => o.user_id)).not.toContain(unsubscribed.id);
  expect(await mailboxRows(unsubscribed.email, subject)).toEqual([]);
});

// ——— Who may see it ———

for (const role of ["customer", "rep"] as const) {
  test.describe(() => {
    test.use({ storageState: storageStateFor(role) });

    test(`marketing: a ${role} gets the 403 page for the console and the list, and HTTP 403 for the export @smoke`, async ({
      page,
    }) => {
      for (const path of ["/console/marketing", "/console/marketing/list?topic=offers"]) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(403);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
        await expect(page.getByText("Opt-in lists")).toHaveCount(0);
        await expect(page.getByText("Opted in to")).toHaveCount(0);
      }
      const res = await page.request.get("/console/marketing/export?topic=offers", { maxRedirects: 0 });
      expect(res.status()).toBe(403);
      expect(res.headers()["content-type"]).not.toContain("text/csv");
      expect(await res.text()).toBe("Only marketing staff can export opt-in lists.\n");
    });

    test(`marketing: an export attempt by a ${role} is refused and audited as marketing.export_denied`, async ({
      page,
    }) => {
      const actorId = await userIdOf(role === "customer" ? "demo" : "rep");
      const since = await dbNow();
      const res = await page.request.get("/console/marketing/export?topic=offers", { maxRedirects: 0 });
      expect(res.status()).toBe(403);
      expect(await auditSince("marketing.export_denied", actorId, since)).toEqual([
        { action: "marketing.export_denied", actor_id: actorId, detail: { topic: "offers", role } },
      ]);
      expect(await auditSince("marketing.export", actorId, since)).toEqual([]);
    });
  });
}

// ——— Accessibility (read-only, as the shared marketing user: runs on PGlite too) ———

test("marketing: the console has no WCAG 2.2 AA violations @smoke", async ({ page }) => {
  await page.goto("/console/marketing");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opt-in lists");
  await expect(page.getByTestId("consent-chart")).toHaveCount(2);
  await expect(page.getByRole("form", { name: "Send a newsletter" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("marketing: the opt-in list has no WCAG 2.2 AA violations @smoke", async ({ page }) => {
  await page.goto("/console/marketing/list?topic=offers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opted in to Special offers");
  // The seed's demo customer said yes to offers, so there is at least one row to scan.
  await expect(page.getByTestId("optin-row").first()).toBeVisible();
  await expectNoAxeViolations(page);
});
