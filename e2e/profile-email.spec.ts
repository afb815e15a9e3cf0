import { expect, test, type Page } from "@playwright/test";
import { newContext, signIn } from "./support/auth";
import {
  emailChangeRows,
  expectFieldError,
  mailInMailbox,
  openProfileAsNewCustomer,
  openSection,
  profileForm,
  profileRow,
  profileSnapshot,
  sectionMessage,
  sectionSummary,
  submitAction,
} from "./support/profile";
import { createCustomer, randomSuffix } from "./support/users";

async function requestEmailChange(page: Page, newEmail: string, currentPassword: string, outcome = "saved") {
  const form = await openSection(page, "email");
  await form.getByLabel("New e-mail address").fill(newEmail);
  await form.getByLabel("Your current password").fill(currentPassword);
  await submitAction(page, form.getByRole("button", { name: "Change e-mail address" }));
  // A saved change closes the form after the answer arrives: wait for the summary, or the next
  // openSection could find the closing form still on screen and not press Edit.
  if (outcome === "saved") await expect(form).toBeHidden();
}

const pendingChange = (page: Page) => page.getByTestId("pending-email");

test("profile: an e-mail change takes effect only when the link mailed to the new address is confirmed", async ({
  page,
  browser,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const newEmail = `e2e_new_${randomSuffix()}@example.test`;

  await requestEmailChange(page, newEmail, user.password);
  await expect(sectionMessage.email(page)).toHaveText(
    `We sent a confirmation link to ${newEmail}. Your e-mail address changes when you follow it.`,
  );
  // The summary shows the pending change; the old address is still the one in use.
  await expect(sectionSummary(page, "email")).toContainText(user.email);
  await expect(sectionSummary(page, "email")).toContainText(`Waiting for confirmation${newEmail}`);
  await openSection(page, "email");
  await expect(pendingChange(page)).toContainText(`Waiting for confirmation: ${newEmail}`);
  await expect(pendingChange(page).getByRole("button", { name: "Resend" })).toBeVisible();
  await expect(pendingChange(page).getByRole("button", { name: "Cancel" })).toBeVisible();
  await expect(page.getByTestId("current-email")).toHaveText(user.email);
  await expect(profileForm.email(page).getByLabel("Your current password")).toHaveValue("");
  expect((await profileRow(user.id)).email).toBe(user.email);

  await mailInMailbox(page, user.email, "A change of your MyAccount e-mail address was requested");
  const verify = await mailInMailbox(page, newEmail, "Confirm your new e-mail address");
  const link = await verify.getByRole("link", { name: /\/verify-email\?token=/ }).getAttribute("href");
  expect(link).toMatch(/^https:\/\/localhost:\d+\/verify-email\?token=[\w-]{20,}$/);

  // Opening the link (as a mail scanner would) only shows a button: nothing changes yet.
  await page.goto(link!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your new e-mail address");
  const confirm = page.getByRole("button", { name: "Confirm my new e-mail address" });
  await expect(confirm).toBeVisible();
  expect((await profileRow(user.id)).email).toBe(user.email);
  expect((await emailChangeRows(user.id))[0].used_at).toBeNull();

  await submitAction(page, confirm, "/verify-email");
  await expect(page.locator("#confirm-email-message")).toHaveText(`Your e-mail address is now ${newEmail}.`);
  expect(await profileRow(user.id)).toMatchObject({ email: newEmail, email_version: 3 });
  await mailInMailbox(page, user.email, "Your MyAccount e-mail address was changed");

  // Signing in still works, and Edit Profile shows the new address with nothing pending.
  const fresh = await newContext(browser);
  try {
    const other = await fresh.newPage();
    await signIn(other, user.username, user.password);
    await other.goto("/account/profile");
    await expect(sectionSummary(other, "email")).toHaveText(`E-mail address${newEmail}`);
    await openSection(other, "email");
    await expect(other.getByTestId("current-email")).toHaveText(newEmail);
    await expect(pendingChange(other)).toHaveCount(0);
  } finally {
    await fresh.close();
  }
});

test("profile: an e-mail change is refused with a wrong password or an address another account uses", async ({
  page,
}) => {
  const other = await createCustomer();
  const user = await openProfileAsNewCustomer(page);
  const before = await profileSnapshot(user.id);
  const form = profileForm.email(page);
  await openSection(page, "email");

  await requestEmailChange(page, `e2e_new_${randomSuffix()}@example.test`, "not-my-password", "refused");
  await expectFieldError(form, "Your current password", "The current password is incorrect");
  await expect(sectionMessage.email(page)).toHaveText("Please correct the highlighted fields.");

  // Addresses are unique whatever their case.
  await requestEmailChange(page, other.email.toUpperCase(), user.password, "refused");
  await expectFieldError(form, "New e-mail address", "That e-mail address is already used by another account");

  await expect(pendingChange(page)).toHaveCount(0);
  expect(await profileSnapshot(user.id)).toEqual(before);
});

test("profile: Resend sends a new link, Cancel removes the pending change, and the link stops working", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const newEmail = `e2e_new_${randomSuffix()}@example.test`;
  await requestEmailChange(page, newEmail, user.password);
  await openSection(page, "email");
  await expect(pendingChange(page)).toContainText(newEmail);

  await submitAction(page, pendingChange(page).getByRole("button", { name: "Resend" }));
  await expect(sectionMessage.pendingEmail(page)).toHaveText(`We sent a new confirmation link to ${newEmail}.`);
  expect((await emailChangeRows(user.id)).map((r) => r.cancelled_at !== null)).toEqual([true, false]);

  await submitAction(page, pendingChange(page).getByRole("button", { name: "Cancel" }));
  await expect(sectionMessage.pendingEmail(page)).toHaveText(
    "The e-mail change was cancelled. We keep using your current address.",
  );
  await expect(pendingChange(page)).toHaveCount(0);
  expect((await emailChangeRows(user.id)).map((r) => r.cancelled_at !== null)).toEqual([true, true]);

  // The newest link (from Resend) no longer works either.
  const verify = await mailInMailbox(page, newEmail, "Confirm your new e-mail address", 2);
  await page.goto((await verify.getByRole("link", { name: /\/verify-email\?token=/ }).getAttribute("href"))!);
  await submitAction(page, page.getByRole("button", { name: "Confirm my new e-mail address" }), "/verify-email");
  await expect(page.locator("#confirm-email-message")).toHaveText(
    "This confirmation link has expired, was cancelled or was already used. Start the change again from Edit Profile.",
  );
  expect((await profileRow(user.id)).email).toBe(user.email);
});
