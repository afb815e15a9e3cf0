import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, INCORRECT_SIGN_IN, signIn, signInMessage, submitSignIn } from "./support/auth";
import { auditActions, createCustomer, randomSuffix, sessionsOf } from "./support/users";

test("sign-in: wrong password shows one message @smoke", async ({ page }) => {
  await page.goto("/login");
  await submitSignIn(page, "demo", "not-the-demo-password");
  await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  await expect(page).toHaveURL(/\/login/);
  // No session was started.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
});

test("sign-in: unknown username gets the same message as a wrong password @smoke", async ({ page }) => {
  await page.goto("/login");
  await submitSignIn(page, `nobody_${randomSuffix()}`, DEMO_PASSWORD);
  await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  await expect(page).toHaveURL(/\/login/);
});

test("sign-in: five failures lock the account, even against the right password", async ({ page }) => {
  const user = await createCustomer();
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    // The message reads the same after every attempt, so wait for each answer from the server.
    const answered = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
    );
    await submitSignIn(page, user.username, `wrong-password-${attempt}`);
    await answered;
    await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  }
  await submitSignIn(page, user.username, user.password);
  await expect(signInMessage(page)).toHaveText(
    /^Too many unsuccessful sign-in attempts\. Please try again in \d+ minutes?, or reset your password to sign in immediately\.$/,
  );
  await expect(page.getByRole("link", { name: "Reset your password to sign in now" })).toHaveAttribute(
    "href",
    "/forgot-password",
  );
  await expect(page).toHaveURL(/\/login/);
  // The account number names the same account, so it is locked too.
  await submitSignIn(page, user.accountNumber, user.password);
  await expect(signInMessage(page)).toHaveText(/^Too many unsuccessful sign-in attempts/);

  expect(await sessionsOf(user.id)).toHaveLength(0);
  const actions = await auditActions(user.id);
  expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(5);
  expect(actions).not.toContain("auth.sign_in");
});

test("sign-in: remember my username prefills the form after sign-out", async ({ page }) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password, { remember: true });
  await expect(page).toHaveURL("/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL("/login");
  await expect(page.getByLabel("Username or account number")).toHaveValue(user.username);
  await expect(page.getByLabel("Remember my username")).toBeChecked();
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
});

test("sign-in: without remember my username the form is empty after sign-out", async ({ page }) => {
  const user = await createCustomer();
  // Remembered first, so unchecking must also forget what was remembered.
  await signIn(page, user.username, user.password, { remember: true });
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByLabel("Username or account number")).toHaveValue(user.username);

  await submitSignIn(page, user.username, user.password, { remember: false });
  await expect(page).toHaveURL("/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL("/login");
  await expect(page.getByLabel("Username or account number")).toHaveValue("");
  await expect(page.getByLabel("Remember my username")).not.toBeChecked();
});
