import { expect, test, type Page } from "@playwright/test";
import { newContext, signIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { deliveredMail } from "./support/preferences";
import {
  auditActions,
  createCustomer,
  createUnregisteredCustomer,
  getUser,
  randomSuffix,
  randomZip,
  sessionsOf,
  testDb,
  type UnregisteredCustomer,
} from "./support/users";

const UNDER_13 = "You must be 13 or older to create an online account.";

type Registration = {
  accountNumber: string;
  serviceZip: string;
  username: string;
  email: string;
  password: string;
  over13: boolean;
};

function registrationFor(customer: UnregisteredCustomer, overrides: Partial<Registration> = {}): Registration {
  const suffix = randomSuffix();
  return {
    accountNumber: customer.accountNumber,
    serviceZip: customer.zip,
    username: `reg_${suffix}`,
    email: `reg_${suffix}@example.test`,
    password: `a long pass phrase ${suffix}`,
    over13: true,
    ...overrides,
  };
}

async function fillRegistration(page: Page, r: Registration) {
  await page.goto("/register");
  await page.getByLabel("Account number").fill(r.accountNumber);
  await page.getByLabel("Service ZIP code").fill(r.serviceZip);
  await page.getByLabel("Username").fill(r.username);
  await page.getByLabel("E-mail address").fill(r.email);
  await page.getByLabel("Password", { exact: true }).fill(r.password);
  await page.getByLabel("Confirm password").fill(r.password);
  await page.getByLabel("I am 13 or older").setChecked(r.over13);
  await page.getByRole("button", { name: "Create my online account" }).click();
}

/** The customer record is exactly as it was inserted: no login, no audit trail. */
async function expectStillUnregistered(customer: UnregisteredCustomer) {
  const row = await getUser(customer.id);
  expect(row).toMatchObject({ username: null, email: null, password_hash: null, registered_at: null, version: 1 });
  expect(await auditActions(customer.id)).toEqual([]);
}

const WELCOME_MAIL = "Welcome to MyAccount — please confirm your e-mail address";

for (const javaScriptEnabled of [true, false]) {
  test(`register: account number and service ZIP link the customer record and end signed in; the address stays pending until confirmed (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const customer = await createUnregisteredCustomer();
    const r = registrationFor(customer);
    const context = await newContext(browser, { javaScriptEnabled });
    try {
      const page = await context.newPage();
      await fillRegistration(page, r);
      // Signed in straight away, on MyAccount's home, with a welcome.
      await expect(page).toHaveURL("/account?welcome=1");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${customer.firstName}`);
      await expect(page.locator("#welcome-message")).toContainText(
        "Your online account is ready and you are signed in.",
      );
      // axe runs in the page: the JavaScript-on run checks the same page.
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      const session = (await context.cookies()).find((c) => c.name === "__Secure-authjs.session-token");
      expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });

      const row = await getUser(customer.id);
      expect(row.username).toBe(r.username);
      expect(row.email, "pending until confirmed").toBeNull();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.registered_at).not.toBeNull();
      expect(await auditActions(customer.id)).toEqual(["auth.registered", "auth.sign_in"]);
      expect((await sessionsOf(customer.id)).filter((s) => s.revoked_at === null)).toHaveLength(1);

      // The mail's link confirms the address, as for an e-mail change.
      const mail = await deliveredMail(r.email, WELCOME_MAIL);
      const link = mail.text_body.match(/https:\/\/\S+\/verify-email\?token=[\w-]+/)?.[0];
      expect(link).toBeTruthy();
      await page.goto(link!);
      await page.getByRole("button", { name: "Confirm my new e-mail address" }).click();
      await expect(page.locator("#confirm-email-message")).toHaveText(`Your e-mail address is now ${r.email}.`);
      expect((await getUser(customer.id)).email).toBe(r.email);

      // The new username and password work for a later sign-in too.
      await context.clearCookies();
      await signIn(page, r.username, r.password);
      await expect(page).toHaveURL("/account");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${customer.firstName}`);
    } finally {
      await context.close();
    }
  });
}

test("register: under 13 is refused and nothing is stored", async ({ page }) => {
  const customer = await createUnregisteredCustomer();
  await fillRegistration(page, registrationFor(customer, { over13: false }));
  await expect(page.getByText(UNDER_13)).toBeVisible();
  await expect(page).toHaveURL("/register");
  await expectStillUnregistered(customer);
});

test("register: under 13 is refused by the server too (JavaScript off)", async ({ browser }) => {
  const customer = await createUnregisteredCustomer();
  const context = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await fillRegistration(page, registrationFor(customer, { over13: false }));
    await expect(page.getByText(UNDER_13)).toBeVisible();
    await expect(page.locator("#register-message")).toHaveText("Please correct the highlighted fields.");
    await expectStillUnregistered(customer);
  } finally {
    await context.close();
  }
});

test("register: a common password is refused", async ({ page }) => {
  const customer = await createUnregisteredCustomer();
  await fillRegistration(page, registrationFor(customer, { password: "password123" }));
  await expect(page.locator("#register-message")).toHaveText("Please choose a different password.");
  await expect(page.getByText("This password is too common")).toBeVisible();
  await expect(page).toHaveURL("/register");
  await expectStillUnregistered(customer);
});

test("register: a wrong service ZIP is refused", async ({ page }) => {
  const customer = await createUnregisteredCustomer();
  let wrongZip = randomZip();
  while (wrongZip === customer.zip) wrongZip = randomZip();
  await fillRegistration(page, registrationFor(customer, { serviceZip: wrongZip }));
  await expect(page.locator("#register-message")).toHaveText(
    /^We couldn't match that account number and service ZIP code to an account that can be registered\./,
  );
  await expect(page).toHaveURL("/register");
  await expectStillUnregistered(customer);
});

const TAKEN_MAIL = "Someone tried to register with your e-mail address";

test("register: an address another account uses gets the same answer as a free one; its owner gets a mail, not a link", async ({
  page,
}) => {
  const existing = await createCustomer();
  const customer = await createUnregisteredCustomer();
  const r = registrationFor(customer, { email: existing.email.toUpperCase() });
  await fillRegistration(page, r);
  await expect(page).toHaveURL("/account?welcome=1");
  await expect(page.locator("#welcome-message")).toContainText(
    "Your online account is ready and you are signed in. We sent a link to the e-mail address you gave",
  );
  const row = await getUser(customer.id);
  expect(row.username).toBe(r.username);
  expect(row.email, "registered without the address").toBeNull();
  expect((await getUser(existing.id)).email).toBe(existing.email);
  const mail = await deliveredMail(r.email, TAKEN_MAIL);
  expect(mail.text_body).toContain("/forgot-password");
  expect(mail.text_body).not.toMatch(/verify-email|token=/);
  const { rows } = await testDb().query(`select id from email_change_requests where user_id = $1`, [customer.id]);
  expect(rows).toEqual([]);
});
