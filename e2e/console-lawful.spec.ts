import { expect, test, type Browser, type Page } from "@playwright/test";
import { newContext, signIn, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { createCustomer, randomSuffix, testDb, type TestCustomer } from "./support/users";

// The demo customer's activity is read by other specs: every disclosure here names fresh customers.
test.use({ storageState: storageStateFor("admin") });

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const form = (page: Page) => page.getByTestId("lawful-form");

async function fillEntry(
  page: Page,
  entry: { authority: string; basis: string; reference: string; disclosed: string; accounts: string },
) {
  const f = form(page);
  await f.getByLabel("Requesting authority").fill(entry.authority);
  await f.getByLabel("Legal basis").fill(entry.basis);
  await f.getByLabel("Register reference").fill(entry.reference);
  await f.getByLabel("Date received").fill(new Date().toISOString().slice(0, 10));
  await f.getByLabel("What was disclosed").fill(entry.disclosed);
  await f.getByLabel("Affected customers (account numbers)").fill(entry.accounts);
}

/** The customer's own Account activity, in a browser of their own. */
async function activityOf(browser: Browser, customer: TestCustomer): Promise<string> {
  // Playwright applies the file's storageState (the admin's) to new contexts too: start empty.
  const context = await newContext(browser, { storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    await signIn(page, customer.username, customer.password);
    await page.goto("/account/activity");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account activity");
    return (await page.getByRole("main").textContent()) ?? "";
  } finally {
    await context.close();
  }
}

test("lawful: an admin records a disclosure; the customer reads it in Account activity, a restricted one is not shown", async ({
  page,
  browser,
}) => {
  test.slow();
  const told = await createCustomer();
  const untold = await createCustomer();
  const suffix = randomSuffix();
  const open = {
    authority: `Denver Police Department ${suffix}`,
    basis: "Subpoena 26-CR-0042",
    reference: `LR-E2E-${suffix}`,
    disclosed: "Name and service address",
    accounts: told.accountNumber,
  };

  await page.goto("/console/admin/lawful");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lawful requests");
  await expectNoAxeViolations(page);

  // An account number that names nobody is named in the error, and nothing is recorded.
  await fillEntry(page, { ...open, accounts: `${told.accountNumber}\n9999999901` });
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(form(page).getByText("No customer has this account number: 9999999901")).toBeVisible();
  const none = await testDb().query(`select 1 from lawful_requests where reference = $1`, [open.reference]);
  expect(none.rows).toEqual([]);

  await form(page).getByLabel("Affected customers (account numbers)").fill(open.accounts);
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(page.locator("#lawful-message")).toHaveText(
    `Recorded ${open.reference} for 1 customer. Each sees it in their account activity.`,
  );
  // The form empties for the next entry; the register shows the new entry first.
  await expect(form(page).getByLabel("Register reference")).toHaveValue("");
  const newest = page.getByTestId("lawful-entry").first();
  await expect(newest.getByRole("heading")).toHaveText(open.reference);
  await expect(newest).toContainText(open.authority);
  await expect(newest).toContainText(told.accountNumber);
  await expect(newest).toContainText("Customers notified");

  // Restricted from notice: the basis is required, then the entry is recorded without notice.
  const restricted = {
    ...open,
    authority: `Federal court ${suffix}`,
    reference: `LR-E2E-${suffix}-R`,
    accounts: untold.accountNumber,
  };
  await fillEntry(page, restricted);
  await form(page).getByLabel("Legally restricted from notice").check();
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(form(page).getByText("Say what restricts notice")).toBeVisible();
  await form(page).getByLabel("Basis of the restriction").fill("Court order 26-0001, non-disclosure clause");
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(page.locator("#lawful-message")).toHaveText(
    `Recorded ${restricted.reference} for 1 customer. Notice is restricted: they are not shown it.`,
  );
  await expect(page.getByTestId("lawful-entry").first()).toContainText("Notice restricted");
  await expect(page.getByTestId("lawful-entry").first()).toContainText("Court order 26-0001");

  // A reference is used once.
  await fillEntry(page, { ...open, authority: "Someone else" });
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(form(page).getByText("That register reference is already used.")).toBeVisible();
  await expectNoAxeViolations(page);

  expect(await activityOf(browser, told)).toContain(
    `Information about you was disclosed to ${open.authority} — ${open.basis}: ${open.disclosed}`,
  );
  const hidden = await activityOf(browser, untold);
  expect(hidden).not.toContain("disclosed");
  expect(hidden).not.toContain(restricted.authority);
});

test("lawful: the register reads at 390 px without sideways scrolling", async ({ page }) => {
  const customer = await createCustomer();
  const suffix = randomSuffix();
  await page.goto("/console/admin/lawful");
  await fillEntry(page, {
    authority: `A rather long authority name, Investigations Division ${suffix}`,
    basis: "18 U.S.C. § 2703(d) court order",
    reference: `LR-E2E-NARROW-${suffix}`,
    disclosed: "Name, service address and call records from 1 to 30 November 2026",
    accounts: customer.accountNumber,
  });
  await form(page).getByRole("button", { name: "Record the request" }).click();
  await expect(page.locator("#lawful-message")).toContainText("Recorded");
  await page.screenshot({ path: test.info().outputPath("lawful-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("lawful-entry").first()).toBeVisible();
  expect(await overflow(page)).toBe(0);
  await page.screenshot({ path: test.info().outputPath("lawful-390.png"), fullPage: true });
  await expectNoAxeViolations(page);
});

for (const role of ["customer", "rep", "marketing"] as const) {
  test.describe(() => {
    test.use({ storageState: storageStateFor(role) });
    test(`lawful: a ${role} gets the 403 page`, async ({ page }) => {
      const res = await page.goto("/console/admin/lawful");
      expect(res?.status()).toBe(403);
      await expect(page.getByTestId("lawful-form")).toHaveCount(0);
    });
  });
}
