import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";
import { openProfileAsNewCustomer, openSection, sectionMessage, submitAction } from "./support/profile";
import { createCustomer, testDb } from "./support/users";

const rows = (page: Page) => page.getByTestId("activity-row");

/** The cells of each activity row: [when, what, who, from address]. */
async function activityTable(page: Page): Promise<string[][]> {
  return rows(page).evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent?.trim() ?? "")),
  );
}

test("profile: account activity lists sign-in, name and phone changes, newest first, by “You” with the address", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);

  const name = await openSection(page, "name");
  await name.getByLabel("First name").fill("Renamed");
  await submitAction(page, name.getByRole("button", { name: "Save name" }));
  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
  const phone = await openSection(page, "phone");
  await phone.getByLabel("Phone number").fill("(720) 555-0199");
  await submitAction(page, phone.getByRole("button", { name: "Save phone number" }));
  await expect(sectionMessage.phone(page)).toHaveText("Your phone number was saved.");

  await page.getByRole("link", { name: "account activity" }).click();
  await expect(page).toHaveURL("/account/activity");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account activity");
  const table = await activityTable(page);
  expect(table.map(([, what, who, ip]) => [what, who, ip])).toEqual([
    ["Phone number updated", "You", expect.stringMatching(/^(127\.0\.0\.1|::1)$/)],
    ["Name updated", "You", expect.stringMatching(/^(127\.0\.0\.1|::1)$/)],
    ["Signed in", "You", expect.stringMatching(/^(127\.0\.0\.1|::1)$/)],
  ]);
  // The page shows what the audit log holds for this customer, in the same order.
  const { rows: audit } = await testDb().query<{ action: string; ip: string }>(
    `select action, ip from audit_events where subject_user_id = $1 order by created_at desc, id desc`,
    [user.id],
  );
  expect(audit.map((a) => a.action)).toEqual(["profile.updated", "profile.updated", "auth.sign_in"]);
  expect(table.map(([, , , ip]) => ip)).toEqual(audit.map((a) => a.ip));
  await expect(page.getByText("Page 1 · 3 events")).toBeVisible();
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
});

test("profile: account activity pages by 20, and “Older” leads to page 2", async ({ page }) => {
  const user = await createCustomer();
  // 24 past events, one a minute apart, each from its own address so the order can be read back.
  await testDb().query(
    `insert into audit_events (actor_id, subject_user_id, action, detail, ip, created_at)
     select $1, $1, 'profile.updated', jsonb_build_object('section', 'phone', 'fields', jsonb_build_array('phone')),
            '10.0.0.' || n, now() - make_interval(mins => n)
       from generate_series(1, 24) as n`,
    [user.id],
  );
  await signIn(page, user.username, user.password); // the 25th, newest event
  await page.goto("/account/activity");

  await expect(rows(page)).toHaveCount(20);
  await expect(page.getByText("Page 1 · 25 events")).toBeVisible();
  await expect(page.getByRole("link", { name: "Newer" })).toHaveCount(0);
  const first = await activityTable(page);
  expect(first[0].slice(1, 3)).toEqual(["Signed in", "You"]);
  expect(first.slice(1).map(([, what, , ip]) => [what, ip])).toEqual(
    Array.from({ length: 19 }, (_, i) => ["Phone number updated", `10.0.0.${i + 1}`]),
  );

  await page.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL("/account/activity?page=2");
  await expect(page.getByText("Page 2 · 25 events")).toBeVisible();
  await expect(rows(page)).toHaveCount(5);
  expect((await activityTable(page)).map(([, , , ip]) => ip)).toEqual([
    "10.0.0.20",
    "10.0.0.21",
    "10.0.0.22",
    "10.0.0.23",
    "10.0.0.24",
  ]);
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newer" }).click();
  await expect(page).toHaveURL("/account/activity?page=1");
  await expect(rows(page)).toHaveCount(20);
});
