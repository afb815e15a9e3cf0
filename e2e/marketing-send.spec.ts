import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { formatDateTime } from "../lib/format";
import { storageStateFor } from "./support/auth";
import { WCAG_TAGS } from "./support/axe";
import { deliveredMail, setConsent } from "./support/preferences";
import { createCustomer, randomSuffix, testDb } from "./support/users";

/*
 * The newsletter composer end to end (Postgres): compose, preview both parts, a test to me, send
 * now and watch it to Sent, schedule and cancel, schedule and see it start by itself. The e2e
 * servers poll for due sends every second (NEWSLETTER_SCHEDULER_MS=1000, e2e/support/app-server.ts).
 */

test.use({ storageState: storageStateFor("marketing") });
// Each test waits for real mail through the worker, and for the scheduler.
test.slow();

/**
 * axe, WCAG 2.2 AA, on the page as it is now. The preview's sandboxed frame is left out: nothing
 * may run in it (sandbox=""), so axe's own timers never fire there and the scan would hang; the
 * mail's HTML is scanned on a page of its own instead (mailAxe).
 */
async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude("iframe[sandbox]").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(5);
}

/** axe on the HTML part itself, opened as a document of its own (as a mail client shows it). */
async function mailAxe(page: Page, html: string) {
  const mailPage = await page.context().newPage();
  await mailPage.setContent(html);
  const results = await new AxeBuilder({ page: mailPage }).withTags(WCAG_TAGS).analyze();
  await mailPage.close();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const MARKETING = { email: "marketing@myaccount.localhost", firstName: "Morgan" };

const form = (page: Page) => page.getByRole("form", { name: "Send a newsletter" });
const preview = (page: Page) => page.getByTestId("newsletter-preview");
const htmlPart = (page: Page) => page.frameLocator('iframe[title="HTML part of the newsletter, as sent"]');
const rowOf = (page: Page, subject: string) => page.getByTestId("newsletter-row").filter({ hasText: subject });
const statusOf = (page: Page, subject: string) => rowOf(page, subject).getByTestId("newsletter-status");

async function compose(page: Page, subject: string, body: string) {
  await page.goto("/console/marketing");
  await form(page).getByLabel("Topic").selectOption({ label: "Monthly newsletter" });
  await form(page).getByLabel("Subject").fill(subject);
  await form(page).getByLabel("Message (Markdown)").fill(body);
  await form(page).getByRole("button", { name: "Preview" }).click();
  await expect(preview(page).getByRole("heading", { level: 3 })).toHaveText(
    /^Preview — to [\d,]+ (person|people) opted in to Monthly newsletter$/,
  );
}

/** The wall-clock reading ("2026-12-02T14:12") of `instant` in `zone`, as a datetime-local field takes it. */
function wallTime(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: zone, dateStyle: "short", timeStyle: "short" })
    .format(instant)
    .replace(" ", "T");
}

/**
 * Schedules the previewed newsletter for the next whole minute at least a minute away (a
 * datetime-local field has minutes), in the sender's zone as the field names it; returns that
 * instant after checking the database stored exactly it.
 */
async function schedule(page: Page, subject: string): Promise<Date> {
  await form(page).getByLabel("Schedule for a date and time").check();
  const field = form(page).getByLabel("Date and time", { exact: true });
  const zone = (await field.getAttribute("data-time-zone"))!;
  const at = new Date(Math.ceil((Date.now() + 61_000) / 60_000) * 60_000);
  await field.fill(wallTime(at, zone));
  await form(page)
    .getByRole("button", { name: /^Schedule for [\d,]+ (person|people)$/ })
    .click();
  await expect(page.locator("#newsletter-message")).toHaveText(
    `Scheduled for ${formatDateTime(at, zone)} to everyone opted in to Monthly newsletter then. You can cancel it below until it starts.`,
  );
  await expect(statusOf(page, subject)).toHaveText(`Scheduled for ${formatDateTime(at, zone)}`);
  const { rows } = await testDb().query<{ scheduled_at: Date; status: string; time_zone: string }>(
    `select scheduled_at, status, time_zone from newsletters where subject = $1`,
    [subject],
  );
  expect(rows).toEqual([{ scheduled_at: at, status: "scheduled", time_zone: zone }]);
  return at;
}

/** Instead of waiting up to two minutes for the chosen minute: the row falls due in `seconds`. */
async function dueIn(subject: string, seconds: number) {
  await testDb().query(`update newsletters set scheduled_at = now() + make_interval(secs => $2) where subject = $1`, [
    subject,
    seconds,
  ]);
}

test("newsletter: compose, preview both parts as sent (sandboxed HTML, plain text), a test to me arrives with both parts, an unknown merge field is named", async ({
  page,
}) => {
  const cspErrors: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  const suffix = randomSuffix();
  const subject = `E2E compose {first_name|there} ${suffix}`;
  await compose(
    page,
    subject,
    "Hello **{first_name|there}**.\n\n<script>alert(1)</script>\n\n- one\n- two\n\n[Our plans](https://example.com/plans)",
  );

  const p = preview(page);
  await expect(p.getByTestId("preview-subject")).toHaveText(`E2E compose ${MARKETING.firstName} ${suffix}`);
  // The HTML part, in a frame with no permissions at all.
  await expect(page.locator('iframe[title="HTML part of the newsletter, as sent"]')).toHaveAttribute("sandbox", "");
  await expect(htmlPart(page).locator("strong").first()).toHaveText(MARKETING.firstName);
  await expect(htmlPart(page).getByRole("listitem")).toHaveText(["one", "two"]);
  await expect(htmlPart(page).getByRole("link", { name: "Our plans" })).toHaveAttribute(
    "href",
    "https://example.com/plans",
  );
  await expect(htmlPart(page).getByText("Why did I get this?")).toBeVisible();
  // Typed HTML is shown as text, never run or kept as markup.
  await expect(htmlPart(page).locator("script")).toHaveCount(0);
  await expect(htmlPart(page).getByText("<script>alert(1)</script>")).toBeVisible();
  // The plain-text part.
  const text = p.getByTestId("preview-text");
  await expect(text).toContainText(`Hello *${MARKETING.firstName}*.`);
  await expect(text).toContainText("Why did I get this?");
  await expect(text).toContainText(/https:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]+/);
  await expectNoAxeViolations(page);
  await mailAxe(page, (await page.locator("iframe[sandbox]").getAttribute("srcdoc"))!);

  // A test to me: to the signed-in staff member's address, both parts, marked as a test.
  await form(page).getByRole("button", { name: "Send a test to me" }).click();
  await expect(page.locator("#newsletter-message")).toHaveText(
    `A test was sent to ${MARKETING.email}. It is marked as a test and not counted in the figures.`,
  );
  await expect(preview(page), "the preview stays after a test").toBeVisible();
  const testSubject = `[Test] E2E compose ${MARKETING.firstName} ${suffix}`;
  const mail = await deliveredMail(MARKETING.email, testSubject);
  expect(mail.text_body).toContain(`Hello *${MARKETING.firstName}*.`);
  expect(mail.text_body).toContain("Why did I get this?");
  const { rows } = await testDb().query<{ html_body: string | null }>(
    `select html_body from dev_mailbox where to_address = $1 and subject = $2`,
    [MARKETING.email, testSubject],
  );
  expect(rows[0].html_body).toContain(`<strong>${MARKETING.firstName}</strong>`);
  expect(rows[0].html_body).not.toContain("<script>");
  // Not a send: no newsletter row, nothing in the sends table.
  const { rows: made } = await testDb().query(`select 1 from newsletters where subject = $1`, [subject]);
  expect(made).toEqual([]);

  // An unknown merge field is refused at preview, named on its field.
  await form(page).getByLabel("Message (Markdown)").fill("Dear {last_name},");
  await form(page).getByRole("button", { name: "Preview" }).click();
  const body = form(page).getByLabel("Message (Markdown)");
  await expect(page.locator("#nl-body-error")).toHaveText(
    "There is no merge field {last_name}. Use {first_name}, with a fallback after a bar if you like: {first_name|there}",
  );
  await expect(body).toHaveAttribute("aria-invalid", "true");
  await expect(body).toHaveAccessibleDescription(/There is no merge field \{last_name\}/);
  await expect(preview(page)).toHaveCount(0);
  expect(cspErrors, "the preview frame breaks no CSP rule").toEqual([]);
});

test("newsletter: send now — progress shows Adding/Sending and ends at Sent with every recipient sent or stopped", async ({
  page,
}) => {
  const reader = await createCustomer();
  await setConsent(reader.id, ["newsletter"]);
  const subject = `E2E send now ${randomSuffix()}`;
  await compose(page, subject, "Hello {first_name|there}, news today.");
  await form(page)
    .getByRole("button", { name: /^Send to [\d,]+ (person|people)$/ })
    .click();
  await expect(page.locator("#newsletter-message")).toHaveText(
    "Sending to everyone opted in to Monthly newsletter. Progress is shown below.",
  );
  await expect(preview(page), "the sent composition is no longer offered for sending").toHaveCount(0);
  // The page refreshes itself until it is done.
  await expect(statusOf(page, subject)).toHaveText(/^(Adding recipients…|Sending [\d,]+ of [\d,]+|Sent)$/);
  await expect(statusOf(page, subject)).toHaveText("Sent", { timeout: 30_000 });
  const cells = rowOf(page, subject).getByRole("cell");
  const [recipients, queued, sent, failed, stopped] = (await cells.allTextContents()).slice(3).map(Number);
  expect({ queued, failed }).toEqual({ queued: 0, failed: 0 });
  expect(sent + stopped).toBe(recipients);
  const mail = await deliveredMail(reader.email, subject);
  expect(mail.text_body).toContain(`Hello ${reader.firstName}, news today.`);
});

test("newsletter: scheduled a minute ahead in the sender's zone, then cancelled — Cancelled, and nothing is sent when its time passes", async ({
  page,
}) => {
  const subject = `E2E schedule cancel ${randomSuffix()}`;
  await compose(page, subject, "This must never go out.");
  await schedule(page, subject);
  await expectNoAxeViolations(page);

  await rowOf(page, subject)
    .getByRole("button", { name: `Cancel the scheduled send of “${subject}”` })
    .click();
  await expect(page.locator("#sends-message")).toHaveText(`Cancelled “${subject}”. Nothing was sent.`);
  await expect(statusOf(page, subject)).toHaveText("Cancelled");
  await expect(rowOf(page, subject).getByRole("button")).toHaveCount(0);

  // Its time passes; the scheduler (every second here) leaves it alone.
  await dueIn(subject, -1);
  await page.waitForTimeout(3000);
  const { rows } = await testDb().query<{ status: string; started_at: Date | null; queued: number }>(
    `select n.status, n.started_at, (select count(*)::int from mail_outbox o where o.newsletter_id = n.id) as queued
       from newsletters n where n.subject = $1`,
    [subject],
  );
  expect(rows).toEqual([{ status: "cancelled", started_at: null, queued: 0 }]);
  await page.reload();
  await expect(statusOf(page, subject)).toHaveText("Cancelled");
});

test("newsletter: a scheduled send starts by itself when due, and the page follows it to Sent", async ({ page }) => {
  const reader = await createCustomer();
  await setConsent(reader.id, ["newsletter"]);
  const subject = `E2E schedule start ${randomSuffix()}`;
  await compose(page, subject, "Scheduled hello, {first_name|there}.");
  await schedule(page, subject);
  await expect(statusOf(page, subject)).toHaveText(/^Scheduled for /);
  await expect(rowOf(page, subject).getByRole("cell").first()).toHaveText("Not started");

  await dueIn(subject, 2);
  // No reload: the page refreshes itself while a send is due within two minutes.
  await expect(statusOf(page, subject)).toHaveText("Sent", { timeout: 30_000 });
  await expect(rowOf(page, subject).getByRole("cell").first()).not.toHaveText("Not started");
  const mail = await deliveredMail(reader.email, subject);
  expect(mail.text_body).toContain(`Scheduled hello, ${reader.firstName}.`);
  const { rows } = await testDb().query<{ started_at: Date; scheduled_at: Date }>(
    `select started_at, scheduled_at from newsletters where subject = $1`,
    [subject],
  );
  expect(rows[0].started_at.getTime()).toBeGreaterThanOrEqual(rows[0].scheduled_at.getTime());
});
