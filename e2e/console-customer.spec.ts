import { expect, test, type Page } from "@playwright/test";
import { newContext, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { createCustomer, testDb } from "./support/users";

const REASON_HEADING = "Why are you opening this customer?";
const FORBIDDEN_HEADING = "You don't have access to this page";

/** How far the page scrolls sideways (0 when nothing is wider than the window). */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** No sideways scrolling at 390 px; screenshots at 1280 and 390 px kept with the test's results. */
async function expectFitsAPhone(page: Page, name: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: test.info().outputPath(`${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath(`${name}-390.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

async function demoCustomer(): Promise<{ id: string; phone: string | null }> {
  const { rows } = await testDb().query<{ id: string; phone: string | null }>(
    `select id, phone from users where username = 'demo'`,
  );
  return rows[0];
}

test.describe("the customer page, as the demo rep", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("a rep finds Dana, states a reason, edits the phone; Dana reads the view and the edit with the reason", async ({
    page,
    browser,
  }) => {
    test.slow(); // three axe scans, two browsers
    const dana = await demoCustomer();
    try {
      await page.goto("/console/customers");
      await page.getByRole("searchbox", { name: "Search customers" }).fill("Dana");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: "Dana Demo", exact: true }).click();
      await expect(page).toHaveURL(`/console/customers/${dana.id}`);

      // Reason first: nothing personal on the page yet, not even the name.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(REASON_HEADING);
      await expect(page.getByRole("main")).not.toContainText("Dana");
      await expect(page.getByRole("main")).not.toContainText("1000000001");
      await expectNoAxeViolations(page);
      await expectFitsAPhone(page, "reason");

      const reason = page.getByRole("form", { name: "Reason for opening this customer" });
      await reason.getByRole("button", { name: "Open for 30 minutes" }).click();
      await expect(page.locator("#field-reason-error")).toHaveText("Choose a reason");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(REASON_HEADING);

      await reason.getByLabel("Reason", { exact: true }).selectOption({ label: "Customer request by phone" });
      await reason.getByRole("button", { name: "Open for 30 minutes" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dana Demo");
      await expect(page.getByTestId("grant")).toContainText("Customer request by phone");
      await expect(page.getByTestId("grant")).toContainText(/It ends at .+ UTC/);
      const profile = page.getByTestId("customer-profile");
      await expect(profile).toContainText("1000000001");
      await expect(profile).toContainText("123 Main St, Denver, CO 80202");
      await expect(page.getByRole("heading", { name: "Support chats" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Contact Us requests" })).toBeVisible();
      // No control for a password or a role: a reset link is all a rep can send.
      await expect(page.getByRole("textbox", { name: /password/i })).toHaveCount(0);
      await expect(page.getByRole("combobox", { name: /role/i })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Send a password reset link" })).toBeVisible();
      await expectNoAxeViolations(page);
      await expectFitsAPhone(page, "open");

      // One section at a time: the summary shows the values, "Change phone" opens its form.
      await page.getByRole("link", { name: "Change phone", exact: true }).click();
      const phone = page.getByRole("form", { name: "Phone", exact: true });
      await phone.getByLabel("Phone number").fill("(303) 555-0177");
      await phone.getByRole("button", { name: "Save phone number" }).click();
      await expect(page.locator("#phone-message")).toHaveText(
        "The customer's phone number was saved; they get an e-mail saying it changed.",
      );
      await expect(profile).toContainText("(303) 555-0177");
      const { rows: audit } = await testDb().query<{ action: string; reason: string | null; actor: string }>(
        `select a.action, a.detail->>'reason' as reason, u.username as actor
           from audit_events a join users u on u.id = a.actor_id
          where a.subject_user_id = $1 order by a.id desc limit 2`,
        [dana.id],
      );
      expect(audit).toEqual([
        { action: "profile.updated", reason: "Customer request by phone", actor: "rep" },
        { action: "staff.customer_viewed", reason: null, actor: "rep" },
      ]);

      // Dana's side: who looked, why, and what they changed.
      const customer = await newContext(browser, { storageState: storageStateFor("customer") });
      try {
        const mine = await customer.newPage();
        await mine.goto("/account/activity");
        // Other specs may touch the demo customer meanwhile: find the two rows by what they say.
        const rows = mine.getByTestId("activity-row");
        const edit = rows.filter({ hasText: "Phone number updated" }).filter({ hasText: "Customer request by phone" });
        await expect(edit.first()).toContainText("Reason: Customer request by phone");
        await expect(edit.first()).toContainText("Riley (customer service)");
        const viewed = rows.filter({
          hasText: "A customer service representative viewed your profile — Customer request by phone",
        });
        await expect(viewed.first()).toContainText("Riley (customer service)");
        await expectNoAxeViolations(mine);
      } finally {
        await customer.close();
      }
    } finally {
      // Other specs expect the demo customer as seeded.
      await testDb().query(`update users set phone = $1 where id = $2`, [dana.phone, dana.id]);
    }
  });

  test("an invalid or non-customer id is a 404; a grant for one customer does not open another", async ({ page }) => {
    for (const id of ["not-a-customer", "00000000-0000-4000-8000-000000000000"]) {
      const res = await page.goto(`/console/customers/${id}`);
      expect(res?.status()).toBe(404);
    }
    const { rows } = await testDb().query<{ id: string }>(`select id from users where username = 'admin'`);
    expect((await page.goto(`/console/customers/${rows[0].id}`))?.status()).toBe(404);

    const a = await createCustomer();
    const b = await createCustomer();
    await page.goto(`/console/customers/${a.id}`);
    await page.getByLabel("Reason", { exact: true }).selectOption({ label: "Billing question" });
    await page.getByRole("button", { name: "Open for 30 minutes" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${a.firstName} Tester`);
    await page.goto(`/console/customers/${b.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(REASON_HEADING);
    await expect(page.getByRole("main")).not.toContainText(b.firstName);
  });

  test("with JavaScript off: “Other” needs words, and then the customer opens and a stale phone edit is refused", async ({
    browser,
  }) => {
    const context = await newContext(browser, { storageState: storageStateFor("rep"), javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const c = await createCustomer();
      await page.goto(`/console/customers/${c.id}`);
      await page.getByLabel("Reason", { exact: true }).selectOption({ label: "Other" });
      await page.getByRole("button", { name: "Open for 30 minutes" }).click();
      await expect(page.getByText("Say why you need this customer's data")).toBeVisible();
      const { rows: none } = await testDb().query(`select 1 from staff_access_grants where customer_id = $1`, [c.id]);
      expect(none).toHaveLength(0);

      await page.getByLabel("Reason", { exact: true }).selectOption({ label: "Other" });
      await page.getByLabel("Details").fill("Returned letter");
      await page.getByRole("button", { name: "Open for 30 minutes" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${c.firstName} Tester`);
      await expect(page.getByTestId("grant")).toContainText("Other: Returned letter");

      await page.getByRole("link", { name: "Change phone", exact: true }).click();
      // The customer changes their phone meanwhile: the rep's form is now stale.
      await testDb().query(
        `update users set phone = '+17205550100', phone_version = phone_version + 1, version = version + 1 where id = $1`,
        [c.id],
      );
      const phone = page.getByRole("form", { name: "Phone", exact: true });
      await phone.getByLabel("Phone number").fill("(303) 555-0178");
      await phone.getByRole("button", { name: "Save phone number" }).click();
      await expect(page.locator("#phone-message")).toContainText("This information changed since you opened it");
      // What the rep typed stays, beside what is saved now.
      await expect(phone.getByLabel("Phone number")).toHaveValue("(303) 555-0178");
      await expect(page.getByTestId("saved-now")).toContainText("(720) 555-0100");
      const { rows } = await testDb().query<{ phone: string }>(`select phone from users where id = $1`, [c.id]);
      expect(rows[0].phone).toBe("+17205550100");
    } finally {
      await context.close();
    }
  });
});

test.describe("the customer page, as the demo admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("an admin opens a customer with a reason and reads it, without any control to change it", async ({ page }) => {
    const c = await createCustomer();
    await page.goto(`/console/customers/${c.id}`);
    await page.getByLabel("Reason", { exact: true }).selectOption({ label: "Service or network integrity" });
    await page.getByRole("button", { name: "Open for 30 minutes" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${c.firstName} Tester`);
    await expect(page.getByText(/Read-only/)).toBeVisible();
    await expect(page.getByRole("button", { name: /Save|Send/ })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });
});

test.describe("the customer page, as the demo marketing user", () => {
  test.use({ storageState: storageStateFor("marketing") });

  test("marketing cannot open a customer page", async ({ page }) => {
    const c = await createCustomer();
    const res = await page.goto(`/console/customers/${c.id}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
  });
});
