import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import {
  CONFLICT,
  addressRows,
  auditDetails,
  expectFieldError,
  openProfileAsNewCustomer,
  openSection,
  paymentRows,
  profileForm,
  profileRow,
  section,
  sectionMessage,
  sectionSummary,
  submitAction,
  withProfileWithoutJavaScript,
  type SectionKey,
} from "./support/profile";
import { testDb } from "./support/users";

const nextYear = new Date().getUTCFullYear() + 1;

/** How far the page scrolls sideways (0 when nothing is wider than the window). */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Screenshots at 1280 and 390 px kept with the test's results; nothing scrolls sideways at 390. */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: test.info().outputPath(`${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath(`${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Another tab's save, made behind this page's back: the section's version moves on. */
async function savedElsewhere(userId: string, firstName: string, lastName: string) {
  await testDb().query(
    `update users set first_name = $2, last_name = $3, name_version = name_version + 1, version = version + 1 where id = $1`,
    [userId, firstName, lastName],
  );
}

test("profile: Edit Profile is a summary; Edit opens one form in place with the focus in it, Save returns to the summary and announces it", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  // Read-only values, no forms, and the password lives on Security.
  await expect(sectionSummary(page, "name")).toContainText(`${user.firstName}`);
  await expect(page.getByRole("form")).toHaveCount(0);
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await expect(section(page, "name").getByRole("link", { name: "Edit name" })).toHaveAttribute(
    "href",
    "/account/profile?edit=name#name",
  );
  await expect(page.locator("section#password").getByRole("link", { name: /^Change your password/ })).toHaveAttribute(
    "href",
    "/account/security#password-heading",
  );
  await screenshots(page, "profile-summary");

  await section(page, "phone").getByRole("link", { name: "Edit phone number" }).click();
  // In place: no navigation, and the focus is in the opened form.
  await expect(page).toHaveURL(/\/account\/profile$/);
  const phone = profileForm.phone(page).getByLabel("Phone number");
  await expect(phone).toBeFocused();
  await expect(page.getByRole("form")).toHaveCount(1);
  await screenshots(page, "profile-phone-open");

  // Cancel goes back to the summary, with the focus on Edit.
  await profileForm.phone(page).getByRole("link", { name: "Cancel" }).click();
  await expect(profileForm.phone(page)).toHaveCount(0);
  await expect(section(page, "phone").getByRole("link", { name: "Edit phone number" })).toBeFocused();

  await section(page, "phone").getByRole("link", { name: "Edit phone number" }).click();
  await phone.fill("720 555 0142");
  await submitAction(page, profileForm.phone(page).getByRole("button", { name: "Save phone number" }));
  await expect(profileForm.phone(page)).toHaveCount(0);
  await expect(sectionSummary(page, "phone")).toHaveText("Phone number(720) 555-0142");
  const announce = page.locator("#phone-announce");
  await expect(announce).toHaveText("Your phone number was saved.");
  await expect(announce).toHaveAttribute("aria-live", "polite");
  await expect(section(page, "phone").getByRole("link", { name: "Edit phone number" })).toBeFocused();
  expect(await profileRow(user.id)).toMatchObject({ phone: "+17205550142", phone_version: 2 });
});

test("profile: with JavaScript off, Edit is a link to the one form, which posts and comes back to the summary", async ({
  browser,
}) => {
  await withProfileWithoutJavaScript(browser, async (page, user) => {
    await expect(page.getByRole("form")).toHaveCount(0);
    await section(page, "phone").getByRole("link", { name: "Edit phone number" }).click();
    await expect(page).toHaveURL(/\/account\/profile\?edit=phone#phone$/);
    await expect(page.getByRole("form")).toHaveCount(1);
    const form = profileForm.phone(page);
    await form.getByLabel("Phone number").fill("12");
    await form.getByRole("button", { name: "Save phone number" }).click();
    await expectFieldError(form, "Phone number", "Enter a US phone number, such as (303) 555-0123");
    await form.getByLabel("Phone number").fill("(303) 555-0188");
    await form.getByRole("button", { name: "Save phone number" }).click();
    await expect(sectionMessage.phone(page)).toHaveText("Your phone number was saved.");
    await expect(page.getByRole("form")).toHaveCount(0);
    await expect(sectionSummary(page, "phone")).toContainText("(303) 555-0188");
    expect(await profileRow(user.id)).toMatchObject({ phone: "+13035550188", phone_version: 2 });

    // Cancel is a link back to the summary.
    await openSection(page, "name");
    await profileForm.name(page).getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/account\/profile#name$/);
    await expect(page.getByRole("form")).toHaveCount(0);
  });
});

test("profile: a stale save keeps what was typed beside the saved values; “Use mine” saves it (JavaScript on)", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const form = await openSection(page, "name");
  await savedElsewhere(user.id, "Other", "Tab");
  await form.getByLabel("First name").fill("Mine");
  await form.getByLabel("Last name").fill("Typed");
  await submitAction(page, form.getByRole("button", { name: "Save name" }));
  await expect(sectionMessage.name(page)).toContainText(CONFLICT);
  await expect(form.getByLabel("First name")).toHaveValue("Mine");
  await expect(page.getByTestId("saved-now")).toContainText("Other Tab");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Other", name_version: 2 });
  await expectNoAxeViolations(page);

  await submitAction(page, form.getByRole("button", { name: "Use mine" }));
  await expect(sectionSummary(page, "name")).toContainText("Mine Typed");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Mine", last_name: "Typed", name_version: 3 });

  // "Keep saved" drops the edit and shows what is stored.
  await openSection(page, "name");
  await savedElsewhere(user.id, "Kept", "Value");
  await form.getByLabel("First name").fill("Dropped");
  await submitAction(page, form.getByRole("button", { name: "Save name" }));
  await form.getByRole("link", { name: "Keep saved" }).click();
  await expect(profileForm.name(page)).toHaveCount(0);
  await expect(sectionSummary(page, "name")).toContainText("Kept Value");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Kept", name_version: 4 });
});

test("profile: a stale save keeps what was typed and “Use mine” saves it (JavaScript off)", async ({ browser }) => {
  await withProfileWithoutJavaScript(browser, async (page, user) => {
    const form = await openSection(page, "name");
    await savedElsewhere(user.id, "Other", "Tab");
    await form.getByLabel("First name").fill("Nojs");
    await form.getByLabel("Last name").fill("Mine");
    await form.getByRole("button", { name: "Save name" }).click();
    await expect(sectionMessage.name(page)).toContainText(CONFLICT);
    await expect(form.getByLabel("First name")).toHaveValue("Nojs");
    await expect(form.getByLabel("Last name")).toHaveValue("Mine");
    await expect(page.getByTestId("saved-now")).toContainText("Other Tab");
    await form.getByRole("button", { name: "Use mine" }).click();
    await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
    await expect(sectionSummary(page, "name")).toContainText("Nojs Mine");
    expect(await profileRow(user.id)).toMatchObject({ first_name: "Nojs", last_name: "Mine", name_version: 3 });
  });
});

test("profile: Remove takes the payment method off file after a confirmation, and is audited", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);
  await expect(section(page, "payment").getByRole("link", { name: /^Remove/ })).toHaveCount(0);
  const form = await openSection(page, "payment");
  await form.getByLabel("Name on card").fill("Test Person");
  await form.getByLabel("Card number").fill("4111 1111 1111 1111");
  await form.getByLabel("Expiry month").selectOption("3");
  await form.getByLabel("Expiry year").selectOption(String(nextYear));
  await submitAction(page, form.getByRole("button", { name: "Save payment method" }));
  await expect(sectionSummary(page, "payment")).toContainText("Visa ending in 1111");

  await section(page, "payment").getByRole("link", { name: "Remove payment method" }).click();
  const confirm = profileForm.paymentRemove(page);
  await expect(confirm).toContainText(`Remove Visa ending in 1111, expires 03/${nextYear}?`);
  await expectNoAxeViolations(page);
  // Changing one's mind keeps it.
  await confirm.getByRole("link", { name: "Cancel" }).click();
  expect(await paymentRows(user.id)).toHaveLength(1);

  await section(page, "payment").getByRole("link", { name: "Remove payment method" }).click();
  await submitAction(page, confirm.getByRole("button", { name: "Remove payment method" }));
  await expect(sectionMessage.payment(page)).toHaveText("Your payment method was removed.");
  await expect(sectionSummary(page, "payment")).toContainText("No payment method on file");
  await expect(section(page, "payment").getByRole("link", { name: /^Remove/ })).toHaveCount(0);
  expect(await paymentRows(user.id)).toHaveLength(0);
  expect((await auditDetails(user.id)).at(-1)).toMatchObject({ section: "payment", removed: true });
});

test("profile: with JavaScript off, unticking “same as service” and an error bring the form back unticked with the billing errors", async ({
  browser,
}) => {
  await withProfileWithoutJavaScript(browser, async (page, user) => {
    const form = await openSection(page, "addresses");
    const same = form.getByLabel("Billing address is the same as service address");
    await expect(same).toBeChecked();
    await form.getByLabel("Street address", { exact: true }).fill("1 Main St");
    await form.getByLabel("City", { exact: true }).fill("Denver");
    await form.getByLabel("State", { exact: true }).selectOption("CO");
    await form.getByLabel("ZIP code", { exact: true }).fill("80202");
    await same.uncheck();
    await form.getByLabel("Billing street address").fill("PO Box 9");
    await form.getByRole("button", { name: "Save addresses" }).click();
    await expect(same).not.toBeChecked();
    await expectFieldError(form, "Billing city", "Enter the city");
    await expect(form.getByLabel("Billing street address")).toHaveValue("PO Box 9");

    await form.getByLabel("Billing city").fill("Boulder");
    await form.getByLabel("Billing state").selectOption("CO");
    await form.getByLabel("Billing ZIP code").fill("80302");
    await form.getByRole("button", { name: "Save addresses" }).click();
    await expect(sectionMessage.addresses(page)).toHaveText("Your addresses were saved.");
    expect((await addressRows(user.id)).map((a) => a.kind)).toEqual(["service", "billing"]);
  });
});

test("profile: the time zone is shown (from the service address until chosen) and saved from a list", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  await expect(sectionSummary(page, "timeZone")).toContainText("Time zone");
  const form = await openSection(page, "timeZone");
  await form.getByLabel("Time zone").selectOption("America/Chicago");
  await submitAction(page, form.getByRole("button", { name: "Save time zone" }));
  await expect(sectionSummary(page, "timeZone")).toHaveText("Time zoneCentral (Chicago)");
  const { rows } = await testDb().query<{ time_zone: string }>(`select time_zone from users where id = $1`, [user.id]);
  expect(rows[0].time_zone).toBe("America/Chicago");
  expect((await auditDetails(user.id)).at(-1)).toMatchObject({ section: "timeZone" });
});

test("profile: the summary and every open form have no WCAG 2.2 AA violations", async ({ page }) => {
  test.setTimeout(240_000); // eight scans on a busy two-core machine
  await openProfileAsNewCustomer(page);
  await expectNoAxeViolations(page);
  for (const key of ["name", "addresses", "phone", "email", "payment", "preferences", "timeZone"] as SectionKey[]) {
    await openSection(page, key);
    await expectNoAxeViolations(page);
    await profileForm[key](page).getByRole("link", { name: "Cancel" }).click();
    await expect(profileForm[key](page)).toHaveCount(0);
  }
});
