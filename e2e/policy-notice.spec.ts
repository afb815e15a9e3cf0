import { expect, test, type Page } from "@playwright/test";
import { newContext, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { createCustomer, testDb } from "./support/users";

// Publishing a material change shows a notice on every page and queues a mail to every customer
// of the run's database, which would bury other specs' mails and notices while they run: this
// spec has a Playwright project of its own that runs after all the others (playwright.config.ts).

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function screenshots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await noSidewaysScroll(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("privacy policy: an admin publishes a material change — refused too early, then the notice on every page, its diff and the notice mail; withdrawn again", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  // Told about the change: a customer who exists when it is published.
  const customer = await createCustomer();
  const admin = await newContext(browser, { storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await page.goto("/console");
  // The console home lists the admin pages by name ("Privacy Policy" in the header is the public page).
  await page.getByRole("link", { name: "Privacy policy", exact: true }).click();
  await expect(page).toHaveURL("/console/admin/policy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy policy versions");

  // A retried run may find its own upcoming version or draft still there.
  const withdraw = page.getByRole("button", { name: "Withdraw before it takes effect" });
  if (await withdraw.isVisible()) {
    await withdraw.click();
    await expect(withdraw).toHaveCount(0);
  }
  const start = page.getByRole("button", { name: "Start a new draft" });
  if (await start.isVisible()) await start.click();
  const text = page.getByLabel("Policy text (Markdown)");
  await expect(text).toBeVisible();
  await expectNoAxeViolations(page);

  const line = `Our servers keep their logs of technical details for 90 days. <script>alert(1)</script>`;
  const current = await text.inputValue();
  await text.fill(`${current.replace(/\s+$/, "")}\n\n${line}\n`);
  await page.getByLabel(/What changed/).fill("Server logs are now kept for 90 days.");
  await page.getByLabel(/Material change/).check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator("#draft-message")).toHaveText("Draft saved.");
  const compared = page.getByRole("region", { name: "Draft compared with the policy in force" });
  await expect(compared).toContainText("1 line(s) added");
  // The preview shows the script as text: no script element comes from the policy.
  const preview = page.getByRole("region", { name: "Preview", exact: true });
  await expect(preview).toContainText("<script>alert(1)</script>");
  await expect(preview.locator("script")).toHaveCount(0);
  await screenshots(page, "admin-policy");

  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel("Takes effect on").fill(tomorrow);
  await page.getByRole("button", { name: "Publish this version" }).click();
  await expect(page.locator("#effective-date-error")).toContainText(
    "A material change needs 30 days' notice: the earliest effective date is",
  );
  await page.getByLabel("Takes effect on").fill("2099-01-01");
  await page.getByRole("button", { name: "Publish this version" }).click();
  try {
    // Published: the draft makes way for the upcoming version and its notice progress.
    await expect(page.getByRole("heading", { name: "Upcoming: version 2099-01-01" })).toBeVisible();
    await expect(page.getByText(/Notice mails: \d+ of \d+ queued/)).toBeVisible();

    // Every page, for anyone: the notice links to what is changing.
    const visitor = await newContext(browser);
    const v = await visitor.newPage();
    await expect(async () => {
      await v.goto("/login");
      await expect(v.getByText("Our privacy policy changes on Jan 1, 2099")).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 40_000, intervals: [1000, 2000] });
    await v.getByRole("link", { name: "see what's changing" }).click();
    await expect(v).toHaveURL("/privacy/changes");
    await expect(v.getByRole("heading", { level: 1 })).toHaveText("What's changing on Jan 1, 2099");
    await expect(v.getByText("Server logs are now kept for 90 days.")).toBeVisible();
    await expect(v.locator("ins")).toContainText("Our servers keep their logs of technical details for 90 days.");
    await expectNoAxeViolations(v);
    await v.goto("/privacy/versions");
    await expect(v.getByText("Takes effect soon")).toBeVisible();
    await visitor.close();

    // One notice mail, delivered to the local mailbox.
    await expect(async () => {
      const { rows } = await testDb().query<{ subject: string; text_body: string }>(
        `select subject, text_body from dev_mailbox where to_address = $1 and subject like 'Our privacy policy changes%'`,
        [customer.email],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].subject).toBe("Our privacy policy changes on Jan 1, 2099");
      expect(rows[0].text_body).toContain("/privacy/changes");
    }).toPass({ timeout: 40_000, intervals: [1000, 2000] });
  } finally {
    // Other specs run alongside: take the notice down again.
    await page.goto("/console/admin/policy");
    await page.getByRole("button", { name: "Withdraw before it takes effect" }).click();
    await expect(page.getByRole("button", { name: "Withdraw before it takes effect" })).toHaveCount(0);
    await expect(page.getByText("Our privacy policy changes on Jan 1, 2099")).toHaveCount(0);
    await admin.close();
  }
});
