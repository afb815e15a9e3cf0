import { expect, test, type Page } from "@playwright/test";
import { signIn, signInMessage, submitSignIn, INCORRECT_SIGN_IN } from "./support/auth";
import { auditActions, createCustomer, passwordResetCount, randomSuffix } from "./support/users";

const REQUESTED =
  "If that matches an account, we've sent a link to the e-mail address on file. It works once, for 30 minutes.";
const LINK_USED = "This reset link has expired or was already used. Ask for a new one below.";

async function requestReset(page: Page, identifier: string) {
  await page.goto("/forgot-password");
  await page.getByLabel("Username, account number or e-mail address").fill(identifier);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.locator("#forgot-message")).toHaveText(REQUESTED);
}

/** Reads the local mailbox until the reset mail to `email` arrives (a worker sends once a second). */
async function resetLinkFromMailbox(page: Page, email: string): Promise<string> {
  const mail = page
    .getByTestId("mail")
    .filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) })
    .filter({ has: page.getByRole("heading", { name: "Reset your MyAccount password" }) });
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mail).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
  const href = await mail.getByRole("link", { name: /\/reset-password\?token=/ }).getAttribute("href");
  expect(href).toMatch(/^https:\/\/localhost:\d+\/reset-password\?token=[\w-]{20,}$/);
  return href!;
}

async function setNewPassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Confirm new password").fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
}

test("password reset: an unknown identifier gets the same answer as a real one", async ({ page }) => {
  const user = await createCustomer();
  await requestReset(page, `nobody_${randomSuffix()}`);
  await requestReset(page, user.username);
  // Only the real account got a reset (and the audit row that goes with it).
  expect(await passwordResetCount(user.id)).toBe(1);
  expect(await auditActions(user.id)).toEqual(["auth.password_reset_requested"]);
});

test("password reset: the mailed link sets a new password, and works only once", async ({ page }) => {
  const user = await createCustomer();
  await requestReset(page, user.email);
  const link = await resetLinkFromMailbox(page, user.email);

  const newPassword = `reset pass phrase ${randomSuffix()}`;
  await setNewPassword(page, link, newPassword);
  await expect(page).toHaveURL("/login?reset=1");
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();

  await submitSignIn(page, user.username, user.password);
  await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  await signIn(page, user.username, newPassword);
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${user.firstName}`);

  // A second use of the same link is refused and changes nothing.
  await page.context().clearCookies();
  await setNewPassword(page, link, `another pass phrase ${randomSuffix()}`);
  await expect(page.locator("#reset-message")).toHaveText(LINK_USED);
  await expect(page).toHaveURL(link);
  await signIn(page, user.username, newPassword);
  await expect(page).toHaveURL("/account");
  expect((await auditActions(user.id)).filter((a) => a === "auth.password_reset")).toHaveLength(1);
});
