import { expect, test, type Browser, type Page } from "@playwright/test";
import { newContext, signIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { auditActions, createCustomer, getUser, sessionsOf, type TestCustomer } from "./support/users";

const devices = (page: Page) => page.getByRole("list", { name: "Signed-in devices" }).getByTestId("device");

/** Signs the same fresh customer in from this page (device A) and from a second browser (device B). */
async function signInTwice(page: Page, browser: Browser) {
  const user = await createCustomer();
  const other = await newContext(browser);
  const pageB = await other.newPage();
  await signIn(page, user.username, user.password);
  await signIn(pageB, user.username, user.password);
  await page.goto("/account/security");
  await expect(devices(page)).toHaveCount(2);
  await expect(devices(page).filter({ hasText: "This device" })).toHaveCount(1);
  return { user, other, pageB };
}

async function expectSignedOut(page: Page) {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
}

async function expectSignedIn(page: Page, user: TestCustomer) {
  await page.goto("/account");
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${user.firstName}`);
}

test("devices: two sign-ins are listed and “Sign out everywhere else” ends the other", async ({ page, browser }) => {
  const { user, other, pageB } = await signInTwice(page, browser);
  try {
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.locator("#everywhere-message")).toHaveText("Signed out 1 other device.");
    await expect(devices(page)).toHaveCount(1);
    await expect(devices(page)).toContainText("This device");

    await expectSignedOut(pageB);
    await expectSignedIn(page, user);
    const rows = await sessionsOf(user.id);
    expect(rows.filter((s) => s.revoked_reason === "signed out everywhere else")).toHaveLength(1);
    expect(await auditActions(user.id)).toContain("auth.signed_out_everywhere_else");
  } finally {
    await other.close();
  }
});

test("devices: “Sign out” on one listed device ends only that device", async ({ page, browser }) => {
  const { user, other, pageB } = await signInTwice(page, browser);
  try {
    const otherDevice = devices(page).filter({ hasNotText: "This device" });
    await otherDevice.getByRole("button", { name: /^Sign out / }).click();
    await expect(devices(page)).toHaveCount(1);
    await expect(devices(page)).toContainText("This device");

    await expectSignedOut(pageB);
    await expectSignedIn(page, user);
    const rows = await sessionsOf(user.id);
    expect(rows.map((s) => s.revoked_reason).sort()).toEqual([null, "signed out from device list"].sort());
  } finally {
    await other.close();
  }
});

test("devices: changing the password signs out the other devices", async ({ page, browser }) => {
  const { user, other, pageB } = await signInTwice(page, browser);
  const before = await getUser(user.id);
  try {
    const newPassword = `${user.password}-changed`;
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator("#password-message")).toHaveText(
      "Your password was changed. Your other devices were signed out.",
    );
    await expect(devices(page)).toHaveCount(1);

    await expectSignedOut(pageB);
    await expectSignedIn(page, user);
    // The new password works from the signed-out device.
    await signIn(pageB, user.username, newPassword);
    await expect(pageB).toHaveURL("/account");

    const after = await getUser(user.id);
    expect(after.password_hash).not.toBe(before.password_hash);
    expect(after.version).toBe(before.version + 1);
    expect(await auditActions(user.id)).toContain("auth.password_changed");
  } finally {
    await other.close();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test(`devices: this device first, alike sessions grouped with a count, and “Sign out” ends the whole group (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const user = await createCustomer();
    const mine = await newContext(browser, { javaScriptEnabled });
    const page = await mine.newPage();
    // Three more sign-ins from the same browser, system and address (other contexts of this Chromium).
    const others = await Promise.all([0, 1, 2].map(() => newContext(browser)));
    try {
      for (const other of others) await signIn(await other.newPage(), user.username, user.password);
      await signIn(page, user.username, user.password);
      await page.goto("/account/security");
      await expect(devices(page)).toHaveCount(2);
      await expect(devices(page).first()).toContainText("This device");
      await expect(devices(page).nth(1)).toContainText("3 sessions");
      await expect(devices(page).first().getByRole("button")).toHaveCount(0);
      // axe runs in the page: the JavaScript-on run checks the same page.
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      await devices(page)
        .nth(1)
        .getByRole("button", { name: /^Sign out .+ \(3 sessions\)$/ })
        .click();
      await expect(devices(page)).toHaveCount(1);
      await expect(devices(page)).toContainText("This device");
      for (const other of others) await expectSignedOut(await other.newPage());
      await expectSignedIn(page, user);
      const rows = await sessionsOf(user.id);
      expect(rows.filter((s) => s.revoked_reason === "signed out from device list")).toHaveLength(3);
      expect(rows.filter((s) => s.revoked_at === null)).toHaveLength(1);
      expect((await auditActions(user.id)).filter((a) => a === "auth.device_signed_out")).toHaveLength(1);
    } finally {
      await Promise.all([mine, ...others].map((c) => c.close()));
    }
  });
}
