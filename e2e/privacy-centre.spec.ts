import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { INCORRECT_SIGN_IN, newContext, signIn, signInMessage, storageStateFor, submitSignIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { deliveredMail, setConsent } from "./support/preferences";
import { auditActions, createCustomer, getUser, sessionsOf, testDb } from "./support/users";

// Every test uses fresh customers: closing an account must never touch the shared demo accounts.

async function openPrivacyCentre(page: Page) {
  await page.goto("/account");
  await page.getByRole("link", { name: /Your privacy/ }).click();
  await expect(page).toHaveURL("/account/privacy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your privacy");
}

async function privacyChoiceActions(userId: string): Promise<string[]> {
  const { rows } = await testDb().query<{ action: string }>(
    `select action from privacy_choice_events where user_id = $1 and choice = 'area_offers' order by id`,
    [userId],
  );
  return rows.map((r) => r.action);
}

test("privacy centre: the MyAccount tile leads here; products in your area on then off; what marketing sees; axe; no sideways scroll", async ({
  page,
}, testInfo) => {
  // Three axe scans of a long page: several seconds each on a busy two-core machine.
  test.slow();
  const user = await createCustomer();
  await testDb().query(`update addresses set zip = '80203' where user_id = $1 and kind = 'service'`, [user.id]);
  await signIn(page, user.username, user.password);
  await openPrivacyCentre(page);
  await expect(page.getByTestId("marketing-none")).toHaveText("You are on no marketing list.");
  await expect(page.getByTestId("area-offers")).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Turn on products in your area" }).click();
  await expect(page.locator("#area-offers-message")).toHaveText("Products in your area are on.");
  const offers = page.getByTestId("area-offers");
  await expect(offers).toContainText("We use ZIP 80203 from your service address.");
  await expect(offers.getByRole("listitem")).not.toHaveCount(0);
  await expect(offers).toContainText("Fiber 1 Gig");
  await expectNoAxeViolations(page);

  // What marketing sees: the export's row, with this customer's address.
  await setConsent(user.id, ["offers"]);
  await page.reload();
  const row = page.getByTestId("marketing-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(user.email);
  await expect(row).toContainText("offers");
  await expectNoAxeViolations(page);

  await page.screenshot({ path: testInfo.outputPath("privacy-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath("privacy-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("button", { name: "Turn off products in your area" }).click();
  await expect(page.locator("#area-offers-message")).toHaveText(
    "Products in your area are off. We no longer show them.",
  );
  await expect(page.getByTestId("area-offers")).toHaveCount(0);
  await expect(page.getByText(/We use ZIP/)).toHaveCount(0);
  expect(await privacyChoiceActions(user.id)).toEqual(["granted", "withdrawn"]);
});

test("privacy centre: download my data is this customer's own file, whatever the URL asks for", async ({
  page,
  browser,
}) => {
  const user = await createCustomer();
  const other = await createCustomer();
  await signIn(page, user.username, user.password);
  await openPrivacyCentre(page);

  // Slow the file down a little so the pending state can be seen.
  await page.route("**/account/privacy/export", async (route) => {
    await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  await expect(page.getByRole("link", { name: "Preparing…" })).toBeVisible();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^myaccount-data-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile(await download.path(), "utf8");
  const data = JSON.parse(text);
  expect(data.profile).toMatchObject({ email: user.email, username: user.username, firstName: user.firstName });
  expect(data.addresses).toEqual([expect.objectContaining({ kind: "service", zip: user.zip })]);
  expect(data.devices.length).toBeGreaterThan(0);
  expect(data.activity.map((a: { action: string }) => a.action)).toContain("auth.sign_in");
  for (const value of [other.email, other.username, other.id]) expect(text).not.toContain(value);
  await expect(page.getByText("Your file is ready — check your downloads.")).toBeVisible();
  await page.unroute("**/account/privacy/export");

  // No parameter chooses whose data: the session alone does.
  const asked = await page.request.get(`/account/privacy/export?userId=${other.id}&username=${other.username}`);
  expect(asked.status()).toBe(200);
  expect(asked.headers()["content-disposition"]).toMatch(/^attachment; filename="myaccount-data-/);
  expect((await asked.json()).profile.email).toBe(user.email);
  expect((await auditActions(user.id)).filter((a) => a === "data.exported")).toHaveLength(2);
  expect(await auditActions(other.id)).not.toContain("data.exported");

  // Signed out: 401; staff: 403, with nothing exported.
  const anonymous = await newContext(browser);
  try {
    expect((await anonymous.request.get("/account/privacy/export")).status()).toBe(401);
  } finally {
    await anonymous.close();
  }
  const rep = await newContext(browser, { storageState: storageStateFor("rep") });
  try {
    expect((await rep.request.get("/account/privacy/export")).status()).toBe(403);
    const page2 = await rep.newPage();
    const response = await page2.goto("/account/privacy");
    expect(response?.status()).toBe(403);
  } finally {
    await rep.close();
  }
});

test("privacy centre: close my account — wrong password refused, then closed, signed out, and the old username cannot sign in", async ({
  page,
}) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  await openPrivacyCentre(page);
  const form = page.getByRole("form", { name: "Close my account" });

  // Without the tick: refused in the browser, nothing sent.
  await page.getByLabel("Your password").fill(user.password);
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(page.locator("#field-confirm-error")).toHaveText(
    "Tick the box to confirm that you want to close your account",
  );
  // A wrong password: refused by the server.
  await page.getByLabel("Your password").fill("not-the-password-123");
  await page.getByLabel(/I understand that closing my account/).check();
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(page.locator("#field-currentPassword-error")).toHaveText("The current password is incorrect");
  expect((await getUser(user.id)).username).toBe(user.username);
  await expectNoAxeViolations(page);

  await page.getByLabel("Your password").fill(user.password);
  await page.getByLabel(/I understand that closing my account/).check();
  await form.getByRole("button", { name: "Close my account" }).click();
  await expect(page).toHaveURL("/account/closed");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account is closed");
  // After a client-side navigation the title can follow the heading by a moment (streamed metadata).
  await expect(page).toHaveTitle(/\S/);
  await expectNoAxeViolations(page);

  const closed = await getUser(user.id);
  expect(closed).toMatchObject({ username: null, email: null, password_hash: null });
  expect((await sessionsOf(user.id)).every((s) => s.revoked_reason === "account closed")).toBe(true);
  expect(await auditActions(user.id)).toContain("account.closed");
  const mail = await deliveredMail(user.email, "Your MyAccount is closed");
  expect(mail.text_body).toContain("closed at your request");

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  await submitSignIn(page, user.username, user.password);
  await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
  await submitSignIn(page, user.accountNumber, user.password);
  await expect(signInMessage(page)).toHaveText(INCORRECT_SIGN_IN);
});
