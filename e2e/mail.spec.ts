import { createHash, randomBytes } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { newContext, signIn } from "./support/auth";
import { mailInMailbox, profileForm, profileRow, submitAction } from "./support/profile";
import { auditActions, createCustomer, randomSuffix, sessionsOf, testDb, type TestCustomer } from "./support/users";

const PROFILE_UPDATED = "Your MyAccount profile was updated";

/** Every link of a mail on the mailbox page: its href is its text, and no punctuation ends it. */
async function expectCleanLinks(mail: Locator) {
  const links = mail.getByTestId("mail-text").getByRole("link");
  expect(await links.count()).toBeGreaterThan(0);
  for (const link of await links.all()) {
    const href = (await link.getAttribute("href"))!;
    await expect(link).toHaveText(href);
    expect(href).not.toMatch(/[.,;:!?)\]]$/);
  }
  // …and in the text, every link stands on its own line.
  const text = await mail.getByTestId("mail-text").innerText();
  for (const line of text.split("\n").filter((l) => l.includes("https://"))) {
    expect(line.trim()).toMatch(/^https:\/\/\S+$/);
  }
}

async function editProfile(page: Page, section: "name" | "phone") {
  // The summary opens one section's form by this link (it works without JavaScript too).
  await page.goto(`/account/profile?edit=${section}#${section}`);
  return profileForm[section](page);
}

/** The page at 1280 and 390 px: nothing scrolls sideways, and a screenshot of each for the report. */
async function expectFitsAndShoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll, `${name} at ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signOutEverySession(userId: string) {
  return (await sessionsOf(userId)).filter((s) => !s.revoked_at).length;
}

test("mail: several profile changes in a few seconds make exactly one mail listing each, sent when the window closes", async ({
  page,
}) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  // Times in the mail are in the customer's own zone.
  await testDb().query(`update users set time_zone = 'America/New_York' where id = $1`, [user.id]);

  const name = await editProfile(page, "name");
  await name.getByLabel("First name").fill("Digest");
  await submitAction(page, name.getByRole("button", { name: "Save name" }));
  await expect(page.getByText("Your name was saved.")).toBeVisible();

  const phone = await editProfile(page, "phone");
  await phone.getByLabel("Phone number").fill("(303) 555-0188");
  await submitAction(page, phone.getByRole("button", { name: "Save phone number" }));
  await expect(page.getByText("Your phone number was saved.")).toBeVisible();

  // Both changes wait in one digest (the window opened with the first).
  const { rows } = await testDb().query<{ n: number }>(
    `select jsonb_array_length(changes) as n from profile_mail_digests where user_id = $1`,
    [user.id],
  );
  expect(rows).toEqual([{ n: 2 }]);

  const mail = await mailInMailbox(page, user.email, PROFILE_UPDATED);
  const text = mail.getByTestId("mail-text");
  await expect(text).toContainText(/- Name changed: \w{3} \d+, \d{4}, \d+:\d\d [AP]M E[SD]T, by you/);
  await expect(text).toContainText(/- Phone number changed: .+ E[SD]T, by you/);
  await expectCleanLinks(mail);
  // The HTML part came along, made from the same words.
  await mail.getByText("HTML part (source)").click();
  await expect(mail.getByTestId("mail-html")).toContainText('<a href="https://localhost:');
  await expect(mail.getByTestId("mail-html")).toContainText("Phone number changed");

  // Still one a little later: nothing else was waiting.
  await page.waitForTimeout(2000);
  await mailInMailbox(page, user.email, PROFILE_UPDATED, 1);
});

/** A pending e-mail change with a known link token, as the confirmation mail would carry it. */
async function pendingChange(user: TestCustomer, newEmail: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const hash = createHash("sha256").update(token).digest("hex");
  await testDb().query(
    `insert into email_change_requests (user_id, new_email, token_hash, expires_at) values ($1, $2, $3, now() + interval '1 day')`,
    [user.id, newEmail, hash],
  );
  return token;
}

test("mail: after an e-mail change the old address can undo it — the address comes back, every device is signed out, a new password is asked for", async ({
  page,
}) => {
  const user = await createCustomer();
  const newEmail = `e2e_taken_${randomSuffix()}@example.test`;
  await signIn(page, user.username, user.password);
  const token = await pendingChange(user, newEmail);
  await page.goto(`/verify-email?token=${token}`);
  await submitAction(page, page.getByRole("button", { name: "Confirm my new e-mail address" }), "/verify-email");
  await expect(page.locator("#confirm-email-message")).toHaveText(`Your e-mail address is now ${newEmail}.`);
  expect((await profileRow(user.id)).email).toBe(newEmail);

  const notice = await mailInMailbox(page, user.email, "Your MyAccount e-mail address was changed");
  await expectCleanLinks(notice);
  const undo = await notice.getByRole("link", { name: /\/undo-email\?token=/ }).getAttribute("href");
  expect(undo).toMatch(/^https:\/\/localhost:\d+\/undo-email\?token=[\w-]{40,}$/);

  // Opening the link (as a mail scanner would) changes nothing; it names the address it puts back.
  await page.goto(undo!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Undo the e-mail change");
  await expect(page.getByText(user.email)).toBeVisible();
  await expectNoAxeViolations(page);
  await expectFitsAndShoot(page, "undo-email");
  expect((await profileRow(user.id)).email).toBe(newEmail);
  expect(await signOutEverySession(user.id)).toBe(1);

  await page.getByRole("button", { name: "Undo the change and choose a new password" }).click();
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  expect((await profileRow(user.id)).email).toBe(user.email);
  expect(await signOutEverySession(user.id)).toBe(0);
  expect(await auditActions(user.id)).toContain("email.change_undone");

  const password = `e2e-undone-${randomSuffix()}-long`;
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Confirm new password").fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, user.username, password);
  await page.goto("/account/activity");
  await expect(page.getByText(/E-mail change undone/).first()).toBeVisible();

  // Single use.
  await page.goto(undo!);
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
});

test("mail: “This wasn't me” in the password-changed mail signs out every device and leads straight to a new password", async ({
  page,
  browser,
}) => {
  const user = await createCustomer();
  const other = await newContext(browser);
  try {
    const elsewhere = await other.newPage();
    await signIn(elsewhere, user.username, user.password);
    await signIn(page, user.username, user.password);
    const intruders = `${user.password}-intruder`;
    await page.goto("/account/security");
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill(intruders);
    await page.getByLabel("Confirm new password").fill(intruders);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator("#password-message")).toContainText("Your password was changed.");

    const mail = await mailInMailbox(page, user.email, "Your MyAccount password was changed");
    await expectCleanLinks(mail);
    const notMe = await mail.getByRole("link", { name: /\/not-me\?token=/ }).getAttribute("href");
    expect(notMe).toMatch(/^https:\/\/localhost:\d+\/not-me\?token=[\w-]{40,}$/);

    await page.goto(notMe!);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This wasn't me");
    await expectNoAxeViolations(page);
    await expectFitsAndShoot(page, "not-me");
    expect(await signOutEverySession(user.id)).toBe(1);

    await page.getByRole("button", { name: "Sign out everywhere and choose a new password" }).click();
    await expect(page).toHaveURL(/\/reset-password\?token=/);
    expect(await signOutEverySession(user.id)).toBe(0);
    expect(await auditActions(user.id)).toContain("account.recovered");
    const mine = `e2e-mine-${randomSuffix()}-long`;
    await page.getByLabel("New password", { exact: true }).fill(mine);
    await page.getByLabel("Confirm new password").fill(mine);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, user.username, mine);
    await expect(page).toHaveURL("/account");

    await page.goto(notMe!);
    await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
    await expectNoAxeViolations(page);
    await expectFitsAndShoot(page, "not-me-used");
  } finally {
    await other.close();
  }
});

test("mail: the mailbox ends a link at trailing punctuation", async ({ page }) => {
  const to = `e2e_punct_${randomSuffix()}@example.test`;
  await testDb().query(
    `insert into dev_mailbox (from_address, to_address, subject, text_body) values ('x@example.test', $1, 'Punctuation', $2)`,
    [to, "See https://localhost:3443/account/activity. Or (https://localhost:3443/contact), then stop."],
  );
  await page.goto("/dev/mailbox");
  const mail = page.getByTestId("mail").filter({ has: page.getByText(to, { exact: true }) });
  const hrefs = await mail
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href")));
  expect(hrefs).toEqual(["https://localhost:3443/account/activity", "https://localhost:3443/contact"]);
  await expectFitsAndShoot(page, "mailbox");
});

test("mail: “This wasn't me” works with JavaScript off", async ({ browser }) => {
  const user = await createCustomer();
  const token = randomBytes(32).toString("base64url");
  await testDb().query(
    `insert into recovery_tokens (user_id, kind, token_hash, event_at, expires_at) values ($1, 'not_me', $2, now(), now() + interval '7 days')`,
    [user.id, createHash("sha256").update(token).digest("hex")],
  );
  const context = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, user.username, user.password);
    expect(await signOutEverySession(user.id)).toBe(1);
    await page.goto(`/not-me?token=${token}`);
    await page.getByRole("button", { name: "Sign out everywhere and choose a new password" }).click();
    await expect(page).toHaveURL(/\/reset-password\?token=/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
    expect(await signOutEverySession(user.id)).toBe(0);
    // Once used, the link says so (the page is read again without JavaScript too).
    await page.goto(`/not-me?token=${token}`);
    await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
  } finally {
    await context.close();
  }
});
