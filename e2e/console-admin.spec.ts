import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "../lib/test/csv";
import { newContext, storageStateFor, submitSignIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { totpCode } from "./support/totp";
import { randomSuffix, testDb } from "./support/users";

const FORBIDDEN_HEADING = "You don't have access to this page";
const INVITATION_SUBJECT = "Set your password for the MyAccount staff console";
const EXPORT_HEADER = [
  "time_utc",
  "actor_username",
  "actor_role",
  "customer_account",
  "subject_username",
  "action",
  "action_in_words",
  "detail",
  "ip",
];

test.use({ storageState: storageStateFor("admin") });

const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Reads the local mailbox until the invitation to `email` arrives; returns its set-password link. */
async function invitationLink(page: Page, email: string): Promise<string> {
  const mail = page
    .getByTestId("mail")
    .filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) })
    .filter({ has: page.getByRole("heading", { name: INVITATION_SUBJECT }) });
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mail).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
  const href = await mail.getByRole("link", { name: /\/reset-password\?token=/ }).getAttribute("href");
  expect(href).toMatch(/^https:\/\/localhost:\d+\/reset-password\?token=[\w-]{20,}$/);
  return href!;
}

async function auditRows(action: string, subjectUsername: string) {
  const { rows } = await testDb().query<{ action: string; actor: string }>(
    `select e.action, a.username as actor from audit_events e
       join users s on s.id = e.subject_user_id left join users a on a.id = e.actor_id
      where e.action = $1 and s.username = $2`,
    [action, subjectUsername],
  );
  return rows;
}

test("admin: creates a rep, who sets a password from the mail and signs in; disabling them ends their open session; the audit log and its CSV show it", async ({
  page,
  browser,
}) => {
  test.slow();
  const suffix = randomSuffix();
  const username = `e2e_rep_${suffix}`;
  const email = `${username}@example.test`;

  // The admin adds the rep through the form.
  await page.goto("/console/admin/staff");
  const create = page.getByRole("form", { name: "Add a staff member" });
  await create.getByLabel("First name").fill("Robin");
  await create.getByLabel("Last name").fill(`Rep ${suffix}`);
  await create.getByLabel("Username").fill(username);
  await create.getByLabel("Work e-mail address").fill(email);
  await create.getByLabel("Role").selectOption("rep");
  await create.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.locator("#create-staff-message")).toContainText(`Robin Rep ${suffix} was added as service rep`);
  const row = page.locator(`[data-testid="staff-row"][data-username="${username}"]`);
  await expect(row.getByTestId("staff-status")).toContainText("Invited");

  // A duplicate username is refused beside its field.
  await create.getByLabel("First name").fill("Other");
  await create.getByLabel("Last name").fill("Person");
  await create.getByLabel("Username").fill(username);
  await create.getByLabel("Work e-mail address").fill(`other_${suffix}@example.test`);
  await create.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.locator("#field-username-error")).toHaveText("That username is taken");

  // The rep, in a browser of their own, sets a password from the mail and signs in.
  const link = await invitationLink(page, email);
  // Its own cookies: the test runner would otherwise hand the new context the admin's saved state.
  const repContext = await newContext(browser, { storageState: { cookies: [], origins: [] } });
  try {
    const rep = await repContext.newPage();
    const password = `staff pass phrase ${randomSuffix()}`;
    await rep.goto(link);
    await rep.getByLabel("New password", { exact: true }).fill(password);
    await rep.getByLabel("Confirm new password").fill(password);
    await rep.getByRole("button", { name: "Set new password" }).click();
    await expect(rep).toHaveURL("/login?reset=1");
    // Staff must set up two-step before the console opens: the password leads to enrolment only.
    await submitSignIn(rep, username, password);
    await expect(rep).toHaveURL("/login/enrol");
    await rep.goto("/console");
    await expect(rep).toHaveURL(/\/login\?next=%2Fconsole/);
    await rep.goto("/login/enrol");
    await rep.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await rep.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
    await rep.getByLabel("6-digit code", { exact: true }).fill(totpCode(secret));
    await rep.getByRole("button", { name: "Turn on" }).click();
    await expect(rep.getByTestId("recovery-code")).toHaveCount(10);
    await rep.getByRole("link", { name: "I have saved my codes — continue" }).click();
    await expect(rep).toHaveURL("/console");
    await expect(rep.getByText(`Signed in as Robin Rep ${suffix} (Service rep)`)).toBeVisible();

    // The admin disables the rep: the rep's next click lands on sign-in.
    await page.goto("/console/admin/staff");
    await row.getByRole("button", { name: `Disable ${username}` }).click();
    await expect(row.getByTestId("staff-status")).toHaveText("Disabled");
    expect(await auditRows("staff.disabled", username)).toEqual([{ action: "staff.disabled", actor: "admin" }]);
    await rep.getByRole("link", { name: "Search closed chats" }).click();
    await expect(rep).toHaveURL(/\/login/);
    await rep.goto("/console");
    await expect(rep).toHaveURL(/\/login\?next=%2Fconsole/);
  } finally {
    await repContext.close();
  }

  // The audit log, filtered by action and actor, shows the disable (a plain GET form).
  await page.goto("/console/admin/audit");
  await page.getByLabel("Who acted (username or e-mail)").fill("admin");
  await page.getByLabel("Action").selectOption("staff.disabled");
  await page.getByRole("button", { name: "Show entries" }).click();
  await expect(page).toHaveURL(/action=staff.disabled/);
  const entry = page.getByTestId("audit-row").filter({ hasText: `Staff: ${username}` });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("Staff account disabled");
  await expect(page.getByTestId("audit-row").and(page.locator(":not([data-action='staff.disabled'])"))).toHaveCount(0);

  // The export downloads the same filtered rows, with a header.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export these entries as CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(await readFile(await file.path(), "utf8"));
  expect(csv[0]).toEqual(EXPORT_HEADER);
  const body = csv.slice(1);
  expect(body.length).toBeGreaterThanOrEqual(1);
  expect(body.every((r) => r[5] === "staff.disabled" && r[1] === "admin")).toBe(true);
  expect(body.some((r) => r[4] === username)).toBe(true);
  // The export is on the record too.
  const { rows } = await testDb().query(
    `select detail from audit_events e join users a on a.id = e.actor_id
      where a.username = 'admin' and e.action = 'audit.exported' and e.detail->>'action' = 'staff.disabled'`,
  );
  expect(rows.length).toBeGreaterThanOrEqual(1);
});

test("admin: invalid audit filters are answered beside their fields, and the export refuses them", async ({ page }) => {
  await page.goto("/console/admin/audit?from=2026-05-02&to=2026-05-01");
  await expect(page.locator("#filter-to-error")).toHaveText("The end date must be on or after the start date");
  await expect(page.getByTestId("audit-row")).toHaveCount(0);
  const long = await page.goto(`/console/admin/audit?actor=${"x".repeat(10_000)}`);
  expect(long?.status()).toBe(200);
  await expect(page.locator("#filter-actor-error")).toHaveText("Use at most 254 characters");
  await page.goto("/console/admin/audit?from=not-a-date");
  await expect(page.locator("#filter-from-error")).toHaveText("Enter a real date as YYYY-MM-DD");
  const res = await page.request.get("/console/admin/audit/export?from=2026-05-02&to=2026-05-01");
  expect(res.status()).toBe(400);
  expect(res.headers()["content-type"]).not.toContain("text/csv");
});

test("admin: the admin home, staff and audit pages have no WCAG 2.2 AA violations and no sideways scroll at 390 px", async ({
  page,
}, testInfo) => {
  test.slow();
  for (const [path, name] of [
    ["/console/admin", "admin-home"],
    ["/console/admin/staff", "admin-staff"],
    ["/console/admin/audit", "admin-audit"],
  ] as const) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(path);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath(`${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    expect(await sidewaysScroll(page), path).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath(`${name}-390.png`), fullPage: true });
  }
});

for (const role of ["customer", "rep", "marketing"] as const) {
  test.describe(() => {
    test.use({ storageState: storageStateFor(role) });

    test(`admin: a ${role} gets the 403 page for the admin pages and a refused, audited export`, async ({ page }) => {
      for (const path of ["/console/admin", "/console/admin/staff", "/console/admin/audit"]) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(403);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
      }
      const username = role === "customer" ? "demo" : role;
      const before = await testDb().query(
        `select count(*)::int as n from audit_events e join users a on a.id = e.actor_id where a.username = $1 and e.action = 'audit.export_denied'`,
        [username],
      );
      const res = await page.request.get("/console/admin/audit/export", { maxRedirects: 0 });
      expect(res.status()).toBe(403);
      expect(res.headers()["content-type"]).not.toContain("text/csv");
      expect(await res.text()).toBe("Only administrators can export the audit log.\n");
      const after = await testDb().query(
        `select count(*)::int as n from audit_events e join users a on a.id = e.actor_id where a.username = $1 and e.action = 'audit.export_denied'`,
        [username],
      );
      expect(after.rows[0].n).toBe(before.rows[0].n + 1);
    });
  });
}
