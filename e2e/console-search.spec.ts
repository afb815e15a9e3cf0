import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { createCustomer, testDb } from "./support/users";

const FORBIDDEN_HEADING = "You don't have access to this page";

test.describe("find a customer, as the demo rep", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("search by name, account number and phone; only name, account number and city", async ({ page }) => {
    await page.goto("/console/customers");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Find a customer");
    await expect(page.getByText(/asks you for a reason first, and the access is logged/)).toBeVisible();
    // Before any search: a hint, no results.
    await expect(page.getByText(/Type part of the customer's name/)).toBeVisible();
    await expect(page.getByTestId("customer-row")).toHaveCount(0);
    await expectNoAxeViolations(page);

    const box = page.getByRole("searchbox", { name: "Search customers" });
    await box.fill("dana");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/console\/customers\?q=dana$/);
    const dana = page.getByTestId("customer-row").filter({ hasText: "Dana Demo" });
    await expect(dana).toHaveCount(1);
    await expect(dana).toContainText("1000000001");
    await expect(dana).toContainText("Denver");
    // Only the three columns: no e-mail address or username shown.
    await expect(dana).not.toContainText("demo@example.com");
    await expect(page.getByRole("columnheader")).toHaveText(["Name", "Account number", "City"]);
    const link = dana.getByRole("link", { name: "Dana Demo" });
    await expect(link).toHaveAttribute("href", /^\/console\/customers\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(page);

    // Accents and case: "DÁNA" is "dana".
    await box.fill("DÁNA dem");
    await box.press("Enter");
    await expect(page.getByTestId("customer-row").filter({ hasText: "Dana Demo" })).toHaveCount(1);

    await box.fill("1000000001");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("customer-row")).toHaveCount(1);
    await expect(page.getByTestId("customer-row")).toContainText("Dana Demo");

    // The demo customer has no phone: a customer of this test's own gets one.
    const c = await createCustomer();
    const area = randomInt(201, 990);
    const line = randomInt(100, 200);
    await testDb().query("update users set phone = $1 where id = $2", [`+1${area}5550${line}`, c.id]);
    await box.fill(`(${area}) 555-0${line}`);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("customer-row").filter({ hasText: c.accountNumber })).toContainText(c.firstName);

    // Nothing found: the empty state says what to do next.
    await box.fill("zzqxv nobody");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("No customers match — check the spelling or search by account number.")).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("a search too long or with nothing to look up is said in words, not an error page", async ({ page }) => {
    const res = await page.goto(`/console/customers?q=${"a".repeat(300)}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByText("Use at most 100 characters")).toBeVisible();
    await expect(page.getByRole("searchbox", { name: "Search customers" })).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
    await page.goto(`/console/customers?q=${encodeURIComponent("%_'\\\"")}`);
    await expect(page.getByText(/Type part of a name, or an account number/)).toBeVisible();
    await page.goto(`/console/customers?q=${encodeURIComponent("jo%' or 1=1 --")}&page=abc`);
    await expect(page.getByRole("heading", { level: 2 })).toContainText("No customers match");
  });

  test("at 390 px the results stack and nothing scrolls sideways", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/console/customers?q=dana");
    await expect(page.getByTestId("customer-row").first()).toBeVisible();
    // Each stacked cell names its column: drawn from data-label, with empty alt text (a screen
    // reader hears the column header instead, so the cell's name is its value alone).
    const account = page
      .getByTestId("customer-row")
      .filter({ hasText: "Dana Demo" })
      .first()
      .getByRole("cell", { name: "1000000001", exact: true });
    await expect(account).toHaveAttribute("data-label", "Account number");
    expect(await account.evaluate((el) => getComputedStyle(el, "::before").content)).toContain("Account number");
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // Kept with the report (and in E2E_SHOTS_DIR when set) for a person to look at.
    const shot = async (name: string) => {
      const body = await page.screenshot({ fullPage: true });
      await test.info().attach(name, { body, contentType: "image/png" });
      if (process.env.E2E_SHOTS_DIR) writeFileSync(path.join(process.env.E2E_SHOTS_DIR, name), body);
    };
    await shot("customers-390.png");
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot("customers-1280.png");
    await page.goto("/console/customers");
    await shot("customers-hint-1280.png");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/console/customers?q=zzqxv");
    await shot("customers-empty-390.png");
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test.describe("find a customer, as marketing", () => {
  test.use({ storageState: storageStateFor("marketing") });

  test("marketing gets the 403 page", async ({ page }) => {
    const res = await page.goto("/console/customers?q=dana");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
    await expect(page.getByText("Dana Demo")).toHaveCount(0);
  });
});
