import { expect, test as setup } from "@playwright/test";
import { DEMO_PASSWORD, demoRoles, storageStateFor, submitSignIn, type DemoRole } from "./support/auth";

// Signing in once per role is itself the sign-in test; the saved state is then reused by the specs
// (dub's setup-project pattern). Tagged @smoke so the PGlite run signs in (and reuses state) too.
for (const role of Object.keys(demoRoles) as DemoRole[]) {
  const account = demoRoles[role];
  setup(`sign-in: ${role} "${account.username}" lands on ${account.home} @smoke`, async ({ page }) => {
    await page.goto(account.home);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(account.home)}`);
    await submitSignIn(page, account.username, DEMO_PASSWORD);
    await expect(page).toHaveURL(account.home);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(account.heading);
    await expect(page.getByRole("main")).toContainText(account.shows);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
