import { expect, test } from "@playwright/test";
import { storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import {
  openProfileAsNewCustomer,
  openSection,
  profileForm,
  sectionMessage,
  sectionSummary,
  submitAction,
  type SectionKey,
} from "./support/profile";
import { randomSuffix } from "./support/users";

// Read-only scans as the shared demo customer: they run on PGlite too.
test.describe(() => {
  test.use({ storageState: storageStateFor("customer") });

  test("profile: Edit Profile has no WCAG 2.2 AA violations @smoke", async ({ page }) => {
    await page.goto("/account/profile");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit Profile");
    // Every section's summary is there to be scanned (each open form: profile-summary.spec.ts).
    for (const key of ["name", "addresses", "phone", "email", "payment", "preferences", "timeZone"] as SectionKey[])
      await expect(sectionSummary(page, key)).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("profile: account activity has no WCAG 2.2 AA violations @smoke", async ({ page }) => {
    await page.goto("/account/activity");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account activity");
    await expect(page.getByTestId("activity-row").first()).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

test("profile: the e-mail confirmation page has no WCAG 2.2 AA violations @smoke", async ({ page }) => {
  await page.goto("/verify-email?token=x");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your new e-mail address");
  await expect(page.getByRole("button", { name: "Confirm my new e-mail address" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("profile: Edit Profile with field errors and a pending e-mail change has no WCAG 2.2 AA violations", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);

  const email = await openSection(page, "email");
  await email.getByLabel("New e-mail address").fill(`e2e_new_${randomSuffix()}@example.test`);
  await email.getByLabel("Your current password").fill(user.password);
  await submitAction(page, email.getByRole("button", { name: "Change e-mail address" }));
  // The saved change closes the form (after the answer arrives); then open it again.
  await expect(email).toBeHidden();
  await openSection(page, "email");
  await expect(page.getByTestId("pending-email")).toBeVisible();

  for (const key of ["name", "addresses", "phone", "payment"] as const) await openSection(page, key);
  await profileForm.name(page).getByLabel("First name").fill("");
  await profileForm.name(page).getByRole("button", { name: "Save name" }).click();
  await profileForm.addresses(page).getByLabel("ZIP code", { exact: true }).fill("1");
  await profileForm.addresses(page).getByRole("button", { name: "Save addresses" }).click();
  await profileForm.phone(page).getByLabel("Phone number").fill("12");
  await profileForm.phone(page).getByRole("button", { name: "Save phone number" }).click();
  await profileForm.payment(page).getByRole("button", { name: "Save payment method" }).click();
  await email.getByLabel("Your current password").fill("wrong password");
  await email.getByLabel("New e-mail address").fill(`e2e_other_${randomSuffix()}@example.test`);
  await submitAction(page, email.getByRole("button", { name: "Change e-mail address" }));
  await expect(sectionMessage.email(page)).toHaveText("Please correct the highlighted fields.");
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(8); // first name, ZIP, phone, card name, number, month and year, password
  await expectNoAxeViolations(page);
});
