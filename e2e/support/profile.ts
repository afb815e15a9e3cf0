/**
 * Edit Profile helpers for the profile*.spec.ts files: the page's forms, what a field error looks
 * like to a screen reader, the local mailbox, and readers for what the app wrote (Postgres only).
 */
import { expect, type Browser, type Locator, type Page, type Request } from "@playwright/test";
import { newContext, signIn } from "./auth";
import { createCustomer, testDb, type TestCustomer } from "./users";

/** Each Edit Profile section's form, by its accessible name (present only while its section is open). */
export const profileForm = {
  name: (page: Page) => page.getByRole("form", { name: "Name", exact: true }),
  addresses: (page: Page) => page.getByRole("form", { name: "Addresses", exact: true }),
  phone: (page: Page) => page.getByRole("form", { name: "Phone", exact: true }),
  email: (page: Page) => page.getByRole("form", { name: "Change e-mail address", exact: true }),
  payment: (page: Page) => page.getByRole("form", { name: "Payment method", exact: true }),
  paymentRemove: (page: Page) => page.getByRole("form", { name: "Remove payment method", exact: true }),
  preferences: (page: Page) => page.getByRole("form", { name: "E-mail preferences", exact: true }),
  timeZone: (page: Page) => page.getByRole("form", { name: "Time zone", exact: true }),
};

export type SectionKey = "name" | "addresses" | "phone" | "email" | "payment" | "preferences" | "timeZone";

/** Each section's element id: its anchor (`#phone`) and its `?edit=` name. */
export const sectionId: Record<SectionKey, string> = {
  name: "name",
  addresses: "addresses",
  phone: "phone",
  email: "email",
  payment: "payment",
  preferences: "preferences",
  timeZone: "time-zone",
};

/** A section of the summary, by its heading. */
export function section(page: Page, key: SectionKey): Locator {
  return page.locator(`section#${sectionId[key]}`);
}

/** A section's read-only lines (shown while its form is closed). */
export function sectionSummary(page: Page, key: SectionKey): Locator {
  return page.getByTestId(`${sectionId[key]}-summary`);
}

/** Opens a section's form with its "Edit" control (in place with JavaScript, by the link without) and returns it. */
export async function openSection(page: Page, key: SectionKey): Promise<Locator> {
  const form = profileForm[key](page);
  if (!(await form.isVisible())) await section(page, key).getByRole("link", { name: /^Edit/ }).click();
  await expect(form).toBeVisible();
  return form;
}

/**
 * The outcome of each section: the form's own live region while it is open (errors, a stale save),
 * the section's announcement once a save has closed it (not Next's route announcer).
 */
const outcome = (form: string, announce: string) => (page: Page) =>
  page.locator(`#${form}:not(:empty), #${announce}:not(:empty)`);
export const sectionMessage = {
  name: outcome("name-message", "name-announce"),
  addresses: outcome("address-message", "addresses-announce"),
  phone: outcome("phone-message", "phone-announce"),
  email: outcome("email-message", "email-announce"),
  payment: outcome("payment-message", "payment-announce"),
  preferences: outcome("preferences-message", "preferences-announce"),
  timeZone: outcome("time-zone-message", "time-zone-announce"),
  pendingEmail: (page: Page) => page.locator("#pending-email-message"),
};

export const CONFLICT = "This information changed since you opened it";

/** A fresh customer, signed in on `page`, with Edit Profile open. */
export async function openProfileAsNewCustomer(page: Page): Promise<TestCustomer> {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  await page.goto("/account/profile");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit Profile");
  return user;
}

/** Runs `body` with a fresh customer's Edit Profile open in a browser with JavaScript off. */
export async function withProfileWithoutJavaScript(
  browser: Browser,
  body: (page: Page, user: TestCustomer) => Promise<void>,
): Promise<void> {
  const context = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await body(page, await openProfileAsNewCustomer(page));
  } finally {
    await context.close();
  }
}

/** Records every alert()/confirm()/prompt() the page opens (an injected script ran); assert it stays empty. */
export function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on("dialog", (dialog) => {
    opened.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return opened;
}

/**
 * The field labelled `label` shows `message` right next to it, tied to it and announced: the input
 * is aria-invalid and described by the error, and the error sits in a polite live region.
 */
export async function expectFieldError(scope: Locator, label: string, message: string) {
  const input = scope.getByLabel(label, { exact: true });
  await expect(input).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("-error"));
  expect(errorId, `${label} is described by its error`).toBeTruthy();
  const error = scope.locator(`[id="${errorId}"]`);
  await expect(error).toHaveText(message);
  await expect(error).toHaveAttribute("aria-live", "polite");
  await expect(error).toBeVisible();
  await expect(input).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Waits until `count` mails with `subject` to `to` are in the local mailbox (a worker delivers once
 * a second) and returns the newest, on the mailbox page.
 */
export async function mailInMailbox(page: Page, to: string, subject: string, count = 1): Promise<Locator> {
  const mail = page
    .getByTestId("mail")
    .filter({ has: page.getByTestId("mail-to").getByText(to, { exact: true }) })
    .filter({ has: page.getByRole("heading", { name: subject, exact: true }) });
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mail).toHaveCount(count, { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
  return mail.first();
}

// ——— What the app wrote ———

export type ProfileRow = {
  role: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  email: string | null;
  billing_same_as_service: boolean;
  name_version: number;
  address_version: number;
  phone_version: number;
  email_version: number;
  payment_version: number;
  version: number;
};

export async function profileRow(userId: string): Promise<ProfileRow> {
  const { rows } = await testDb().query<ProfileRow>(
    `select role, first_name, last_name, phone, email, billing_same_as_service,
            name_version, address_version, phone_version, email_version, payment_version, version
       from users where id = $1`,
    [userId],
  );
  if (!rows[0]) throw new Error(`No user ${userId}`);
  return rows[0];
}

export type AddressRow = {
  kind: "service" | "billing";
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
};

/** The user's addresses, service first. */
export async function addressRows(userId: string): Promise<AddressRow[]> {
  const { rows } = await testDb().query<AddressRow>(
    `select kind, line1, line2, city, state, zip from addresses where user_id = $1 order by kind`,
    [userId],
  );
  return rows;
}

export type PaymentRow = {
  kind: "card" | "bank";
  label: string;
  last4: string;
  exp_month: number | null;
  exp_year: number | null;
  holder_name: string;
  encrypted_number: string;
};

export async function paymentRows(userId: string): Promise<PaymentRow[]> {
  const { rows } = await testDb().query<PaymentRow>(
    `select kind, label, last4, exp_month, exp_year, holder_name, encrypted_number from payment_methods where user_id = $1`,
    [userId],
  );
  return rows;
}

export type EmailChangeRow = { new_email: string; used_at: Date | null; cancelled_at: Date | null };

export async function emailChangeRows(userId: string): Promise<EmailChangeRow[]> {
  const { rows } = await testDb().query<EmailChangeRow>(
    `select new_email, used_at, cancelled_at from email_change_requests where user_id = $1 order by created_at`,
    [userId],
  );
  return rows;
}

/** Everything a profile save could touch, to compare before and after a refused one. */
export async function profileSnapshot(userId: string) {
  return {
    user: await profileRow(userId),
    addresses: await addressRows(userId),
    payment: await paymentRows(userId),
    emailChanges: await emailChangeRows(userId),
    audit: (
      await testDb().query<{ action: string }>(
        `select action from audit_events where subject_user_id = $1 order by id`,
        [userId],
      )
    ).rows.map((r) => r.action),
  };
}

/** Whether a request is a server-action POST (Next sends the action id in a header). */
export function isServerAction(req: Request, path: string): boolean {
  return req.method() === "POST" && new URL(req.url()).pathname === path && !!req.headers()["next-action"];
}

/** Clicks `button` and waits for the server action it posts to `path` to answer. */
export async function submitAction(page: Page, button: Locator, path = "/account/profile") {
  const answered = page.waitForResponse((res) => isServerAction(res.request(), path));
  await button.click();
  return answered;
}

/** The details of the user's "profile.updated" audit rows, oldest first. */
export async function auditDetails(userId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await testDb().query<{ detail: Record<string, unknown> }>(
    `select detail from audit_events where subject_user_id = $1 and action = 'profile.updated' order by id`,
    [userId],
  );
  return rows.map((r) => r.detail);
}
