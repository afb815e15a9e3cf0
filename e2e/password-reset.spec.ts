import { expect, test, type Page } from "@playwright/test";
import { newContext, signIn, signInMessage, submitSignIn, INCORRECT_SIGN_IN } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { auditActions, createCustomer, passwordResetCount, randomSuffix, testDb } from "./support/users";

const REQUESTED =
  "If that matches an account, we've sent a link to the e-mail address on file. It works once, for 30 minutes.";

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
  // Only the real account got a reset (and the audit row that goes with it), after the answer.
  await expect.poll(() => passwordResetCount(user.id)).toBe(1);
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
  await page.goto(link);
  await expect(page.locator("#reset-link-state")).toHaveText("This link has already been used.");
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await signIn(page, user.username, newPassword);
  await expect(page).toHaveURL("/account");
  expect((await auditActions(user.id)).filter((a) => a === "auth.password_reset")).toHaveLength(1);
});

const LIMITED =
  /^Too many unsuccessful sign-in attempts\. Please try again in \d+ (seconds?|minutes?), or reset your password to sign in immediately\.$/;

/** Five wrong passwords (the free failures per account and address), each answered before the next. */
async function lockOut(page: Page, identifier: string) {
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    const answered = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
    );
    await submitSignIn(page, identifier, `wrong-password-${attempt}`);
    await answered;
  }
}

for (const javaScriptEnabled of [true, false]) {
  test(`sign-in limit: the message says how to get in now, and a reset lifts the limit at once (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const user = await createCustomer();
    const context = await newContext(browser, { javaScriptEnabled });
    try {
      const page = await context.newPage();
      await lockOut(page, user.username);
      await submitSignIn(page, user.username, user.password);
      await expect(signInMessage(page)).toHaveText(LIMITED);
      // axe runs in the page: the JavaScript-on run checks the same page.
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // An unknown name, limited the same way, reads the same words.
      const nobody = `nobody_${randomSuffix()}`;
      await lockOut(page, nobody);
      await submitSignIn(page, nobody, "any password at all");
      await expect(signInMessage(page)).toHaveText(LIMITED);

      await page.getByRole("link", { name: "Reset your password to sign in now" }).click();
      await expect(page).toHaveURL("/forgot-password");
      await requestReset(page, user.username);
      const link = await resetLinkFromMailbox(page, user.email);
      const newPassword = `reset pass phrase ${randomSuffix()}`;
      await setNewPassword(page, link, newPassword);
      await expect(page).toHaveURL("/login?reset=1");
      // No waiting: the reset lifted the account's limit.
      await submitSignIn(page, user.username, newPassword);
      await expect(page).toHaveURL("/account");
    } finally {
      await context.close();
    }
  });
}

test("password reset: a used link says so before any form and offers a new one", async ({ page }) => {
  const user = await createCustomer();
  await requestReset(page, user.username);
  const link = await resetLinkFromMailbox(page, user.email);
  // Opening the link shows the form and does not use the link up.
  await page.goto(link);
  await expect(page.getByLabel("New password", { exact: true })).toBeVisible();
  await setNewPassword(page, link, `reset pass phrase ${randomSuffix()}`);
  await expect(page).toHaveURL("/login?reset=1");

  await page.goto(link);
  await expect(page.locator("#reset-link-state")).toHaveText("This link has already been used.");
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Ask for a new reset link" })).toHaveAttribute(
    "href",
    "/forgot-password",
  );
  await expectNoAxeViolations(page);
});

test("password reset: an expired link says so before any form", async ({ page }) => {
  const user = await createCustomer();
  await requestReset(page, user.username);
  const link = await resetLinkFromMailbox(page, user.email);
  await testDb().query("update password_resets set expires_at = now() - interval '1 minute' where user_id = $1", [
    user.id,
  ]);
  await page.goto(link);
  await expect(page.locator("#reset-link-state")).toHaveText("This link has expired.");
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Ask for a new reset link" })).toBeVisible();
});
