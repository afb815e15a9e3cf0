import { expect, test, type Page } from "@playwright/test";
import { newContext, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { e2e } from "./support/config";
import { randomSuffix, testDb } from "./support/users";

// Every request of a run comes from one address, and Contact Us takes 5 per address per hour:
// on Postgres each test starts with that address's count cleared (on PGlite only the smoke test
// sends, once).
test.beforeEach(async () => {
  if (e2e.db === "postgres") await testDb().query(`delete from rate_counters where key like 'contact:ip:%'`);
});

type Message = { name: string; email: string; accountNumber?: string; topic: string; message: string };

function visitor(): Message {
  return {
    name: "Robin Visitor",
    email: `contact_${randomSuffix()}@example.test`,
    topic: "Billing",
    message: "Why did my bill go up this month?",
  };
}

function form(page: Page) {
  return page.getByRole("form", { name: "Send us a message" });
}

async function fill(page: Page, m: Message) {
  const f = form(page);
  await f.getByLabel("Your name").fill(m.name);
  await f.getByLabel("E-mail address").fill(m.email);
  await f.getByLabel("Account number (optional)").fill(m.accountNumber ?? "");
  await f.getByLabel("Topic").selectOption(m.topic);
  await f.getByLabel("Message").fill(m.message);
}

/** The confirmation that replaces the form; returns the request number it shows ("#12"). */
async function confirmation(page: Page): Promise<string> {
  const heading = page.getByRole("heading", { name: /^Message sent — request #\d+$/ });
  await expect(heading).toBeVisible();
  await expect(page.getByText(/will reply within one business day/)).toBeVisible();
  return (await heading.textContent())!.replace(/^.*request /, "");
}

async function storedRequest(email: string) {
  const { rows } = await testDb().query<{
    id: string;
    user_id: string | null;
    name: string;
    topic: string;
    message: string;
    status: string;
  }>(`select id, user_id, name, topic, message, status from contact_requests where email = $1`, [email]);
  return rows;
}

/** Reads the local mailbox until the acknowledgement for `requestNumber` to `email` arrives. */
async function expectAcknowledgement(page: Page, email: string, requestNumber: string) {
  const mail = page
    .getByTestId("mail")
    .filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) })
    .filter({ has: page.getByRole("heading", { name: `We received your message (request ${requestNumber})` }) });
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mail).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
}

test("contact: a visitor sends a message, sees the request number and gets the acknowledgement mail @smoke", async ({
  page,
}) => {
  await page.goto("/contact");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contact Us");
  await expect(page.getByRole("link", { name: "1-800-555-0100" })).toHaveAttribute("href", "tel:+18005550100");
  await expect(page.getByRole("link", { name: "privacy@lumen-telecom.example" })).toBeVisible();
  const m = visitor();
  await fill(page, m);
  await form(page).getByRole("button", { name: "Send message" }).click();
  const requestNumber = await confirmation(page);
  // The confirmation took the form's place and has the keyboard.
  await expect(page.getByRole("heading", { name: `Message sent — request ${requestNumber}` })).toBeFocused();

  if (e2e.db === "postgres") {
    const rows = await storedRequest(m.email);
    expect(rows).toEqual([
      { id: requestNumber.slice(1), user_id: null, name: m.name, topic: m.topic, message: m.message, status: "open" },
    ]);
  }
  await expectAcknowledgement(page, m.email, requestNumber);
});

test("contact: the page has no WCAG 2.2 AA violations, with field errors shown too @smoke", async ({ page }) => {
  await page.goto("/contact");
  await expectNoAxeViolations(page);
  await form(page).getByRole("button", { name: "Send message" }).click();
  await expect(form(page).getByText("Enter your name")).toBeVisible();
  await expectNoAxeViolations(page);
});

test("contact: bad input is refused beside each field and nothing is stored", async ({ page }) => {
  await page.goto("/contact");
  const m = { ...visitor(), email: "not-an-address", accountNumber: "123", message: "x".repeat(2001) };
  await fill(page, m);
  await form(page).getByRole("button", { name: "Send message" }).click();
  const f = form(page);
  await expect(f.getByText("Enter a valid e-mail address, such as name@example.com")).toBeVisible();
  await expect(f.getByText("Enter the 10-digit account number from your bill, or leave it empty")).toBeVisible();
  await expect(f.getByText("Use at most 2,000 characters")).toBeVisible();
  await expect(f.getByText("2,001 of 2,000 characters")).toBeVisible();
  await expect(f.getByLabel("Message")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("heading", { name: /Message sent/ })).toHaveCount(0);
  if (e2e.db === "postgres") {
    const { rows } = await testDb().query(`select 1 from contact_requests where message = $1`, [m.message]);
    expect(rows).toHaveLength(0);
  }
});

test.describe("with JavaScript off", () => {
  test.skip(e2e.db !== "postgres", "checks the database");

  test("contact: the form works without JavaScript: errors first, then the confirmation", async ({ browser }) => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/contact");
      const m = visitor();
      await fill(page, { ...m, topic: "Privacy question", email: "nope" });
      await form(page).getByRole("button", { name: "Send message" }).click();
      await expect(page.locator("#contact-message")).toHaveText("Please correct the highlighted fields.");
      await expect(form(page).getByText("Enter a valid e-mail address, such as name@example.com")).toBeVisible();
      // What was typed is still there.
      await expect(form(page).getByLabel("Your name")).toHaveValue(m.name);
      await expect(form(page).getByLabel("Message")).toHaveValue(m.message);
      expect(await storedRequest(m.email)).toHaveLength(0);

      await form(page).getByLabel("E-mail address").fill(m.email);
      await form(page).getByRole("button", { name: "Send message" }).click();
      const requestNumber = await confirmation(page);
      const rows = await storedRequest(m.email);
      expect(rows.map((r) => [`#${r.id}`, r.topic, r.status])).toEqual([[requestNumber, "Privacy question", "open"]]);
    } finally {
      await context.close();
    }
  });
});

test.describe("signed in", () => {
  test.skip(e2e.db !== "postgres", "checks the database");
  test.use({ storageState: storageStateFor("customer") });

  test("contact: a signed-in customer finds name, e-mail and account number filled in, and the request is linked to them", async ({
    page,
  }) => {
    await page.goto("/contact");
    const f = form(page);
    await expect(f.getByLabel("Your name")).toHaveValue("Dana Demo");
    await expect(f.getByLabel("E-mail address")).toHaveValue("demo@example.com");
    await expect(f.getByLabel("Account number (optional)")).toHaveValue(/^\d{10}$/);
    const message = `About my service address ${randomSuffix()}`;
    await f.getByLabel("Topic").selectOption("Moving or changing service");
    await f.getByLabel("Message").fill(message);
    await f.getByRole("button", { name: "Send message" }).click();
    await confirmation(page);
    const { rows } = await testDb().query<{ username: string | null }>(
      `select u.username from contact_requests c left join users u on u.id = c.user_id where c.message = $1`,
      [message],
    );
    expect(rows).toEqual([{ username: "demo" }]);
  });
});
