import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { createCustomer, testDb } from "./support/users";

const notices = (page: Page) => page.getByRole("list", { name: "Things to look at" }).getByTestId("account-notice");

test("account home: no notices for a customer with nothing to look at", async ({ page }) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${user.firstName}`);
  await expect(page.getByRole("list", { name: "Things to look at" })).toHaveCount(0);
});

test("account home: a card expiring this month and more than five active sessions are pointed out, with links", async ({
  page,
}) => {
  const user = await createCustomer();
  const now = new Date();
  const month = now.getUTCMonth() + 1;
  const year = now.getUTCFullYear();
  await testDb().query(
    `insert into payment_methods (user_id, kind, label, last4, exp_month, exp_year, holder_name, encrypted_number)
     values ($1, 'card', 'Visa', '4242', $2, $3, 'Test Holder', 'x')`,
    [user.id, month, year],
  );
  // Six sign-ins elsewhere (rows as sign-in makes them), then this one: seven active sessions.
  await testDb().query(
    `insert into sessions (user_id, user_agent, browser, os, ip, expires_at)
     select $1, 'e2e', 'Chrome 140', 'Linux', '203.0.113.5', now() + interval '1 day' from generate_series(1, 6)`,
    [user.id],
  );
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL("/account");
  await expect(notices(page)).toHaveText([
    `Your Visa ending 4242 expires ${String(month).padStart(2, "0")}/${year} — update it`,
    "You are signed in on 7 devices — review them",
  ]);
  await expect(page.getByRole("link", { name: "update it" })).toHaveAttribute(
    "href",
    "/account/profile?edit=payment#payment",
  );
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "review them" }).click();
  await expect(page).toHaveURL("/account/security#devices");
  await expect(page.getByRole("heading", { name: "Devices signed in to your account" })).toBeVisible();
});
