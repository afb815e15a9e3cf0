import { expect, test, type Page } from "@playwright/test";
import { messages } from "../lib/messages";
import { submitSignIn } from "./support/auth";

const SESSION_COOKIE = "__Secure-authjs.session-token";
import { expectNoAxeViolations } from "./support/axe";
import { insertAuthenticator, insertRecoveryCodes, totpCode } from "./support/totp";
import { auditActions, createCustomer, testDb, type TestCustomer } from "./support/users";

// Password + second step, the partial session's limits, and staff enrolment. Passkey sign-in (a
// virtual authenticator) is in two-step-manage.spec.ts, which enrols one through the security page.

async function customerWithAuthenticator(): Promise<TestCustomer & { secret: string }> {
  const user = await createCustomer();
  return { ...user, secret: await insertAuthenticator(user.id) };
}

async function sessionRows(userId: string) {
  const { rows } = await testDb().query<{
    id: string;
    stage: string;
    verified_by: string;
    revoked_at: Date | null;
  }>(`select id, stage, verified_by, revoked_at from sessions where user_id = $1 order by created_at`, [userId]);
  return rows;
}

async function passwordStep(page: Page, user: TestCustomer) {
  await page.goto("/login");
  await submitSignIn(page, user.username, user.password);
  await expect(page).toHaveURL("/login/verify");
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel("6-digit code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
}

const codeMessage = (page: Page) => page.locator("#code-message");

test("two-step: password + authenticator code opens /account; the session records how it was verified", async ({
  page,
}) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Verify it’s you");
  await expect(page.getByText(/stays open for 5 minutes/)).toBeVisible();
  // Only what this person has is offered: no passkey button without a passkey.
  await expect(page.getByRole("button", { name: "Use your passkey" })).toHaveCount(0);
  const code = page.getByLabel("6-digit code", { exact: true });
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await enterCode(page, totpCode(user.secret));
  await expect(page).toHaveURL("/account");
  const [session] = await sessionRows(user.id);
  expect(session).toMatchObject({ stage: "full", verified_by: "password+authenticator", revoked_at: null });
  const actions = await auditActions(user.id);
  expect(actions).toEqual(["auth.password_ok_second_step_pending", "auth.sign_in"]);
});

test("two-step: a wrong code is refused and nothing changes; the same code cannot be used twice", async ({
  browser,
  page,
}) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  const right = totpCode(user.secret);
  await enterCode(page, right === "000000" ? "111111" : "000000");
  await expect(codeMessage(page)).toHaveText(messages.twoStepCodeWrong);
  await expect(page).toHaveURL("/login/verify");
  expect((await sessionRows(user.id))[0].stage).toBe("second_step");

  await enterCode(page, right);
  await expect(page).toHaveURL("/account");

  // Another browser with the same password and the code just used: refused as a replay.
  const other = await browser.newPage();
  try {
    await passwordStep(other, user);
    await enterCode(other, right);
    await expect(codeMessage(other)).toHaveText(messages.twoStepCodeUsed);
    await expect(other).toHaveURL("/login/verify");
  } finally {
    await other.close();
  }
});

test("two-step: a recovery code signs in once", async ({ page }) => {
  const user = await customerWithAuthenticator();
  const codes = await insertRecoveryCodes(user.id);
  await passwordStep(page, user);
  await page.getByText("Use a recovery code").click();
  await page.getByLabel("Recovery code").fill(codes[2].toUpperCase());
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page).toHaveURL("/account");
  expect((await sessionRows(user.id))[0].verified_by).toBe("password+recovery_code");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL("/login");
  await passwordStep(page, user);
  await page.getByText("Use a recovery code").click();
  await page.getByLabel("Recovery code").fill(codes[2]);
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page.locator("#recovery-message")).toHaveText(messages.recoveryCodeWrong);
  await expect(page).toHaveURL(/\/login\/verify/);
});

test("two-step: the second step works with JavaScript off", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const user = await customerWithAuthenticator();
    await passwordStep(page, user);
    await expect(page.getByText("Passkeys need JavaScript")).toHaveCount(0); // no passkey, no hint
    await enterCode(page, "000000" === totpCode(user.secret) ? "111111" : "000000");
    await expect(page.locator("#code-message")).toHaveText(messages.twoStepCodeWrong);
    await enterCode(page, totpCode(user.secret));
    await expect(page).toHaveURL("/account");
  } finally {
    await context.close();
  }
});

test("two-step: a partly signed-in session opens no page and no action", async ({ page, browser }) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  for (const path of ["/account", "/account/security", "/account/profile"]) {
    await page.goto(path);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(path)}`);
  }

  // An account page rendered for a full session in another browser, whose cookie is then swapped
  // for the partial session's: its "Sign out" action posts with the partial session, and the door
  // refuses it (a sign-out that went through would revoke the session).
  const other = await customerWithAuthenticator();
  const full = await browser.newPage();
  try {
    await passwordStep(full, other);
    await enterCode(full, totpCode(other.secret));
    await expect(full).toHaveURL("/account");
    const partialCookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!;
    await full.context().addCookies([partialCookie]);
    const answered = full.waitForResponse((r) => r.request().method() === "POST");
    await full.getByRole("button", { name: "Sign out", exact: true }).click();
    expect((await answered).status()).toBeLessThan(500);
  } finally {
    await full.close();
  }
  expect(await sessionRows(user.id)).toMatchObject([{ stage: "second_step", revoked_at: null }]);
  expect(await sessionRows(other.id)).toMatchObject([{ stage: "full", revoked_at: null }]);
  expect(await auditActions(user.id)).not.toContain("auth.sign_out");

  // The second step still finishes afterwards.
  await page.goto("/login/verify");
  await enterCode(page, totpCode(user.secret));
  await expect(page).toHaveURL("/account");
});

test("two-step: after 5 minutes the verify page sends back to sign-in", async ({ page }) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  await testDb().query(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [user.id]);
  await page.reload();
  await expect(page).toHaveURL("/login?expired=1");
  await expect(page.getByText(messages.twoStepSignInExpired)).toBeVisible();
  // A code typed on a page left open is refused the same way.
  await passwordStep(page, user);
  await testDb().query(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [user.id]);
  await enterCode(page, totpCode(user.secret));
  await expect(page).toHaveURL("/login?expired=1");
  expect((await sessionRows(user.id)).every((s) => s.stage === "second_step")).toBe(true);
});

test("two-step: cancel signs out", async ({ page }) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  await page.getByRole("button", { name: "Cancel and sign out" }).click();
  await expect(page).toHaveURL("/login");
  const [session] = await sessionRows(user.id);
  expect(session.revoked_at).not.toBeNull();
  await page.goto("/login/verify");
  await expect(page).toHaveURL("/login");
  expect(await auditActions(user.id)).toContain("auth.second_step_cancelled");
});

test("two-step: 5 wrong codes slow the second step down (a delay, not a lock), even against the right code", async ({
  page,
}) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  const right = totpCode(user.secret);
  const wrong = right === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    const answered = page.waitForResponse((r) => r.request().method() === "POST");
    await enterCode(page, wrong);
    await answered;
    await expect(codeMessage(page)).toHaveText(messages.twoStepCodeWrong);
  }
  await enterCode(page, right);
  await expect(codeMessage(page)).toHaveText(
    /^Too many unsuccessful second-step attempts\. Please try again in \d+ seconds?\.$/,
  );
  await expect(page).toHaveURL("/login/verify");
  expect((await sessionRows(user.id))[0].stage).toBe("second_step");
});

test("two-step: axe finds nothing on /login/verify (code, recovery code open)", async ({ page }) => {
  const user = await customerWithAuthenticator();
  await passwordStep(page, user);
  await expectNoAxeViolations(page);
  await page.getByText("Use a recovery code").click();
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page.getByText("Enter one of your recovery codes")).toBeVisible();
  await expectNoAxeViolations(page);
});

test("sign-in: /login offers Sign in with a passkey", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
});

/** A staff member with a password and no second factor (as an admin's reset leaves them). */
async function staffWithoutFactor(role: "rep" | "marketing" | "admin" = "rep") {
  const user = await createCustomer();
  await testDb().query(`update users set role = $2, account_number = null where id = $1`, [user.id, role]);
  return user;
}

test("staff enrolment: a staff member without a second factor must enrol before the console opens", async ({
  page,
}) => {
  // Three axe scans and an enrolment: more than the default minute on a busy 2-core machine.
  test.setTimeout(150_000);
  const staff = await staffWithoutFactor();
  await page.goto("/console");
  await submitSignIn(page, staff.username, staff.password);
  await expect(page).toHaveURL("/login/enrol");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up two-step sign-in");
  await expectNoAxeViolations(page);
  // The console stays shut while enrolment is owed.
  for (const path of ["/console", "/console/customers"]) {
    await page.goto(path);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(path)}`);
  }
  await page.goto("/login/enrol");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  await expectNoAxeViolations(page);
  const code = totpCode(secret);
  await page.getByLabel("6-digit code", { exact: true }).fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.locator("#confirm-message")).toHaveText(messages.twoStepCodeWrong);
  await page.getByLabel("6-digit code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  await expect(page.getByRole("link", { name: "Download as .txt" })).toHaveAttribute(
    "download",
    "myaccount-recovery-codes.txt",
  );
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "I have saved my codes — continue" }).click();
  await expect(page).toHaveURL("/console");
  const [session] = await sessionRows(staff.id);
  expect(session).toMatchObject({ stage: "full", verified_by: "password+authenticator" });
  expect(await auditActions(staff.id)).toEqual(
    expect.arrayContaining(["auth.password_ok_second_step_pending", "two_step.enrolled", "auth.sign_in"]),
  );
  const { rows: mail } = await testDb().query<{ subject: string }>(
    `select subject from mail_outbox where to_address = $1`,
    [staff.email],
  );
  expect(mail.map((m) => m.subject)).toContain("Two-step sign-in was set up on your MyAccount staff account");
});
