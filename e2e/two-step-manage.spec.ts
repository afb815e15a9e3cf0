import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO_PASSWORD, signIn, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { mailInMailbox, openSection, submitAction } from "./support/profile";
import { auditActions, createCustomer, testDb } from "./support/users";
import { addVirtualAuthenticator, credentials } from "./support/webauthn";

// Managing two-step on /account/security (customers) and /console/security (staff): passkeys
// with Chromium's virtual authenticator, the authenticator app with codes computed from the
// setup key the page shows, recovery codes, "Confirm it's you", and the security mails.

const codesPanel = (page: Page) => page.getByTestId("recovery-codes");

/** The page at 1280 and 390 px: nothing scrolls sideways; a screenshot of each for the report. */
async function expectFitsAndShoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll, `${name} at ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** As if the person signed in (or last confirmed it's them) `minutes` ago. */
async function verifiedMinutesAgo(userId: string, minutes: number) {
  await testDb().query(
    `update sessions set reauthenticated_at = now() - make_interval(mins => $2) where user_id = $1 and revoked_at is null`,
    [userId, minutes],
  );
}

async function expectRecoveryCodesShown(page: Page) {
  await expect(codesPanel(page)).toBeVisible();
  const codes = await codesPanel(page)
    .getByRole("list", { name: "Recovery codes" })
    .getByRole("listitem")
    .allInnerTexts();
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i);
  return codes;
}

test("two-step: add a passkey (codes shown once, mail), sign in with it alone, change the password with it", async ({
  page,
}) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  const authenticator = await addVirtualAuthenticator(page);

  await page.goto("/account/security");
  await expect(page.getByTestId("two-step-status")).toHaveText("Two-step sign-in is off.");
  await expectNoAxeViolations(page);
  await expectFitsAndShoot(page, "security-off");

  const name = page.getByLabel("Name for the new passkey");
  await expect(name).toHaveValue(/^Passkey on \S.* on \S/);
  await name.fill("My laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();

  // The first factor turns two-step on and shows the ten recovery codes, this once.
  const codes = await expectRecoveryCodesShown(page);
  expect(await credentials(authenticator)).toHaveLength(1);
  await expectNoAxeViolations(page);
  await expectFitsAndShoot(page, "security-codes-shown");
  const download = page.waitForEvent("download");
  await codesPanel(page).getByRole("link", { name: "Download (.txt)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("myaccount-recovery-codes.txt");
  const text = readFileSync(await file.path(), "utf8");
  for (const code of codes) expect(text).toContain(code);
  await page.getByRole("button", { name: "I saved my codes" }).click();
  await expect(codesPanel(page)).toHaveCount(0);
  await expect(page.getByTestId("two-step-status")).toHaveText("Two-step sign-in is on, with 1 passkey.");
  await expect(page.getByTestId("passkey")).toContainText("My laptop");
  await expect(page.getByTestId("recovery-codes-summary")).toContainText("10 of 10 unused");
  expect(await auditActions(user.id)).toContain("two_step.passkey_added");

  const mail = await mailInMailbox(page, user.email, "A passkey was added to your MyAccount");
  await expect(mail).toContainText('A passkey ("My laptop") was added on');
  await expect(mail).toContainText("If this wasn't you");
  await expect(mail.getByRole("link", { name: /\/not-me\?token=/ })).toBeVisible();

  // Sign out, then the passkey alone signs in: no username, no password.
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/account$/);
  const { rows } = await testDb().query<{ verified_by: string }>(
    `select verified_by from sessions where user_id = $1 and revoked_at is null order by created_at desc limit 1`,
    [user.id],
  );
  expect(rows[0].verified_by).toBe("passkey");
  await page.goto("/account/security");
  await expect(page.getByTestId("device").first()).toContainText("with Passkey");

  // The passkey stands in for the current password.
  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await expect(page.getByText("Confirmed with your passkey ✓")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase 2026");
  await page.getByLabel("Confirm new password").fill("a brand new passphrase 2026");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#password-message")).toContainText("Your password was changed");
  expect(await auditActions(user.id)).toEqual(
    expect.arrayContaining(["auth.reauthenticated", "auth.password_changed"]),
  );

  // …and for the e-mail change on Edit Profile.
  await page.goto("/account/profile");
  const form = await openSection(page, "email");
  await form.getByRole("button", { name: "Use a passkey instead" }).click();
  await expect(form.getByText("Confirmed with your passkey ✓")).toBeVisible();
  await form.getByLabel("New e-mail address").fill(`passkey-${user.username}@example.test`);
  await submitAction(page, form.getByRole("button", { name: "Change e-mail address" }));
  await expect(page.getByRole("status").filter({ hasText: "We sent a confirmation link to" })).toContainText(
    `passkey-${user.username}@example.test`,
  );
});

test("two-step: the authenticator app after Confirm it's you; new recovery codes; removal turns two-step off", async ({
  page,
}) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  await verifiedMinutesAgo(user.id, 10);

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const confirm = page.getByTestId("confirm-its-you");
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("heading", { name: "Confirm it's you" })).toBeFocused();
  await expectNoAxeViolations(page);
  await expectFitsAndShoot(page, "security-confirm-its-you");
  await confirm.getByLabel("Your password").fill("not my password");
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(confirm).toContainText("The current password is incorrect");
  await confirm.getByLabel("Your password").fill(user.password);
  await confirm.getByRole("button", { name: "Confirm" }).click();

  // The change that asked goes ahead by itself.
  const setup = page.getByTestId("authenticator-setup");
  await expect(setup.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expect(confirm).toHaveCount(0);
  await expectNoAxeViolations(page);
  await expectFitsAndShoot(page, "security-authenticator-setup");
  const key = (await setup.getByTestId("setup-key").innerText()).replace(/\s+/g, "");
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await setup.getByLabel("Enter the 6-digit code").fill("000000");
  await setup.getByRole("button", { name: "Turn on" }).click();
  await expect(setup).toContainText("That code isn't right");
  const code = new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30, algorithm: "SHA1" }).generate();
  await setup.getByLabel("Enter the 6-digit code").fill(code);
  await setup.getByRole("button", { name: "Turn on" }).click();
  const first = await expectRecoveryCodesShown(page);
  await page.getByRole("button", { name: "I saved my codes" }).click();
  await expect(page.getByTestId("two-step-status")).toHaveText("Two-step sign-in is on, with an authenticator app.");
  await mailInMailbox(page, user.email, "An authenticator app was set up for your MyAccount");

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Make new codes" }).click();
  const second = await expectRecoveryCodesShown(page);
  expect(second).not.toContain(first[0]);
  await page.getByRole("button", { name: "I saved my codes" }).click();

  await page.getByRole("button", { name: "Remove the authenticator app" }).click();
  await page.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(page.getByTestId("authenticator")).toContainText("Two-step sign-in is now off.");
  await expect(page.getByTestId("two-step-status")).toHaveText("Two-step sign-in is off.");
  const mail = await mailInMailbox(page, user.email, "The authenticator app was removed from your MyAccount");
  await expect(mail).toContainText("If this wasn't you");
  expect(await auditActions(user.id)).toEqual(
    expect.arrayContaining([
      "two_step.authenticator_added",
      "two_step.recovery_codes_regenerated",
      "two_step.authenticator_removed",
    ]),
  );
});

test.describe("staff", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("two-step: /console/security lists the rep's methods; the last one cannot be removed", async ({ page }) => {
    await page.goto("/console");
    await page.getByRole("link", { name: "Your sign-in methods" }).click();
    await expect(page).toHaveURL(/\/console\/security$/);
    await expect(page.getByTestId("two-step-status")).toContainText("Two-step sign-in is on");
    await expect(page.getByText("Staff accounts must keep at least one passkey or authenticator app.")).toBeVisible();
    await expectNoAxeViolations(page);
    await expectFitsAndShoot(page, "console-security");

    // The rep's only factor is the demo authenticator: removing it is refused (after confirming).
    await page.getByRole("button", { name: "Remove the authenticator app" }).click();
    await page.getByRole("button", { name: "Yes, remove it" }).click();
    const confirm = page.getByTestId("confirm-its-you");
    const refusal = page.getByTestId("authenticator").getByText("Staff accounts must keep a second step");
    await expect(confirm.or(refusal)).toBeVisible();
    if (await confirm.isVisible()) {
      await confirm.getByLabel("Your password").fill(DEMO_PASSWORD);
      await confirm.getByRole("button", { name: "Confirm" }).click();
    }
    await expect(refusal).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("two-step-status")).toContainText("an authenticator app");
  });
});
