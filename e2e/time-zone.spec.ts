import { createHash, randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { newContext, signIn } from "./support/auth";
import { createCustomer, randomSuffix, testDb } from "./support/users";

/*
 * Times in the customer's own zone: the browser's zone is kept at sign-in when the profile has
 * none (script fills a hidden field); without script the service address's state decides; a zone
 * already kept is never replaced. Server-rendered, so the page says the same with JavaScript off.
 */

async function zoneOf(userId: string): Promise<string | null> {
  const { rows } = await testDb().query<{ time_zone: string | null }>("select time_zone from users where id = $1", [
    userId,
  ]);
  return rows[0].time_zone;
}

/** The "When" of the newest row on Account activity (this sign-in). */
async function newestActivityTime(page: Page): Promise<string> {
  await page.goto("/account/activity");
  await expect(page.getByRole("columnheader")).toHaveText(["When", "What happened", "Who", "From address"]);
  return (await page.getByTestId("activity-row").first().getByRole("cell").first().textContent()) ?? "";
}

test("time zone: signing in from a Los Angeles browser keeps its zone, and Account activity shows Pacific times", async ({
  browser,
}) => {
  const user = await createCustomer(); // service address in Colorado
  expect(await zoneOf(user.id)).toBeNull();
  const context = await newContext(browser, { timezoneId: "America/Los_Angeles" });
  try {
    const page = await context.newPage();
    await signIn(page, user.username, user.password);
    expect(await zoneOf(user.id)).toBe("America/Los_Angeles");
    expect(await newestActivityTime(page)).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T$/);
    await expect(page.getByRole("main")).not.toContainText("UTC");
  } finally {
    await context.close();
  }
});

test("time zone: without JavaScript nothing is kept and the service address's state decides (New York: Eastern)", async ({
  browser,
}) => {
  const user = await createCustomer();
  await testDb().query("update addresses set state = 'NY', city = 'Albany' where user_id = $1", [user.id]);
  const context = await newContext(browser, { timezoneId: "America/Los_Angeles", javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, user.username, user.password);
    expect(await zoneOf(user.id)).toBeNull();
    expect(await newestActivityTime(page)).toMatch(/ E[SD]T$/);
  } finally {
    await context.close();
  }
});

test("time zone: a zone already kept is not replaced by the browser's", async ({ browser }) => {
  const user = await createCustomer();
  await testDb().query("update users set time_zone = 'America/Chicago' where id = $1", [user.id]);
  const context = await newContext(browser, { timezoneId: "America/Los_Angeles" });
  try {
    const page = await context.newPage();
    await signIn(page, user.username, user.password);
    expect(await zoneOf(user.id)).toBe("America/Chicago");
    expect(await newestActivityTime(page)).toMatch(/ C[SD]T$/);
  } finally {
    await context.close();
  }
});

test("verify e-mail: the confirmation page names the address being confirmed, and a dead link names none", async ({
  page,
}) => {
  const user = await createCustomer();
  const newEmail = `e2e_named_${randomSuffix()}@example.test`;
  const token = randomBytes(32).toString("base64url");
  const tokenHash = createHash("sha256").update(token).digest("hex");
  await testDb().query(
    `insert into email_change_requests (user_id, new_email, token_hash, expires_at) values ($1, $2, $3, now() + interval '1 day')`,
    [user.id, newEmail, tokenHash],
  );
  await page.goto(`/verify-email?token=${token}`);
  await expect(page.getByTestId("confirm-address")).toHaveText(
    `Confirm ${newEmail} as the e-mail address you sign in with and receive our mail at.`,
  );
  await expect(page.getByRole("button", { name: "Confirm my new e-mail address" })).toBeVisible();

  await testDb().query("update email_change_requests set used_at = now() where token_hash = $1", [tokenHash]);
  await page.goto(`/verify-email?token=${token}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your new e-mail address");
  await expect(page.getByTestId("confirm-address")).toHaveCount(0);
  await expect(page.getByRole("main")).not.toContainText(newEmail);
});
