import { expect, test as setup } from "@playwright/test";
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  demoRoles,
  storageStateFor,
  submitSignIn,
  type DemoRole,
} from "./support/auth";
import { enterSecondStep } from "./support/totp";

// Signing in once per role is itself the sign-in test; the saved state is then reused by the specs
// (dub's setup-project pattern). Tagged @smoke so the PGlite run signs in (and reuses state) too.
for (const role of Object.keys(demoRoles) as DemoRole[]) {
  const account = demoRoles[role];
  setup(`sign-in: ${role} "${account.username}" lands on ${account.home} @smoke`, async ({ page }) => {
    await page.goto(account.home);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(account.home)}`);
    await submitSignIn(page, account.username, DEMO_PASSWORD);
    // Staff have an authenticator app (the demo seed's secret): the password leads to the second
    // step, which keeps `next`. The demo customer has no two-step.
    if (role !== "customer") {
      await expect(page).toHaveURL(`/login/verify?next=${encodeURIComponent(account.home)}`);
      await enterSecondStep(page, DEMO_TOTP_SECRET, account.username);
    }
    await expect(page).toHaveURL(account.home);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(account.heading);
    await expect(page.getByRole("main")).toContainText(account.shows);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
