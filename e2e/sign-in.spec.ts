import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, INCORRECT_SIGN_IN, newContext, signIn, signInMessage, submitSignIn } from "./support/auth";
import { auditActions, createCustomer, randomSuffix, sessionsOf, testDb } from "./support/users";

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

/** Submits the form and waits for the server's answer (the message may read the same as before). */
async function submitAndWait(page: Page, identifier: string, password: string) {
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
  );
  await submitSignIn(page, identifier, password);
  await answered;
}

const SLOWED =
  /^Too many unsuccessful sign-in attempts\. Please try again in \d+ (seconds?|minutes?), or reset your password to sign in immediately\.$/;

test("sign-in: five failures from one browser slow the account there (a delay, not a lock), the right password and the account number included", async ({
  page,
}) => {
  const user = await createCustomer();
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitAndWait(page, user.username, `wrong-password-${attempt}`);
    await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  }
  await submitSignIn(page, user.username, user.password);
  await expect(signInMessage(page)).toHaveText(SLOWED);
  // The first delay is the base one: seconds, not the old quarter-hour lock.
  await expect(signInMessage(page)).toHaveText(/try again in \d+ seconds?,/);
  await expect(page.getByRole("link", { name: "Reset your password to sign in now" })).toHaveAttribute(
    "href",
    "/forgot-password",
  );
  await expect(page).toHaveURL(/\/login/);
  // The account number names the same account, and the username's casing does not matter.
  await submitSignIn(page, user.accountNumber, user.password);
  await expect(signInMessage(page)).toHaveText(SLOWED);
  await submitAndWait(page, user.username.toUpperCase(), user.password);
  await expect(signInMessage(page)).toHaveText(SLOWED);

  expect(await sessionsOf(user.id)).toHaveLength(0);
  const actions = await auditActions(user.id);
  expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(5);
  expect(actions).not.toContain("auth.sign_in");
});

test("sign-in: a known device signs in at once while the account is slowed by failures from elsewhere", async ({
  browser,
}) => {
  const user = await createCustomer();
  // The owner's browser signed in before: it holds the device cookie.
  const owner = await newContext(browser);
  const ownerPage = await owner.newPage();
  await signIn(ownerPage, user.username, user.password);
  const device = (await owner.cookies()).find((c) => c.name === "__Host-myaccount-device");
  expect(device).toMatchObject({ httpOnly: true, secure: true, path: "/" });
  expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 3600_000);
  await ownerPage.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(ownerPage).toHaveURL("/login");

  // Another browser guesses: five failures from this address (all of this run's browsers share
  // 127.0.0.1), and the account's count from anywhere is past its free failures as if a spray
  // from many addresses had come first (the e2e server sees one address only).
  const guesser = await newContext(browser);
  const guesserPage = await guesser.newPage();
  await guesserPage.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitAndWait(guesserPage, user.username, `guess-${attempt}`);
  }
  await testDb().query(
    `insert into login_throttle (key, failures, window_started_at, next_allowed_at)
     values ($1, 50, now(), now() + interval '5 minutes')
     on conflict (key) do update set failures = 50, next_allowed_at = now() + interval '5 minutes'`,
    [`account:${user.id}`],
  );
  // The same address without the cookie is slowed, the right password included: that is the
  // per-(account, address) count, and the guesser cannot tell a right password from a wrong one.
  await submitAndWait(guesserPage, user.username, user.password);
  await expect(signInMessage(guesserPage)).toHaveText(SLOWED);

  // The owner's browser, same address, is checked only against its own count: straight in.
  await ownerPage.goto("/login");
  await submitSignIn(ownerPage, user.username, user.password);
  await expect(ownerPage).toHaveURL("/account");
  // The guesser is still slowed afterwards: the owner's success does not hand out a clean slate
  // to the other browser for free (its own count stays).
  await submitAndWait(guesserPage, user.username, user.password);
  await expect(signInMessage(guesserPage)).toHaveText(SLOWED);
  expect((await sessionsOf(user.id)).filter((s) => !s.revoked_at)).toHaveLength(1);
  await owner.close();
  await guesser.close();
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
