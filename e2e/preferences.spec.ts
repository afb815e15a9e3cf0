import { expect, test, type Page } from "@playwright/test";
import {
  LOOPBACK,
  NEWSLETTER_WORDING,
  OFFERS_WORDING,
  POLICY_VERSION,
  consentEventsOf,
  consentSnapshot,
  preferencesForm,
  preferencesMessage,
  subscriptionsOf,
} from "./support/preferences";
import { openProfileAsNewCustomer, openSection, submitAction, withProfileWithoutJavaScript } from "./support/profile";

const offersGroup = (page: Page) => preferencesForm(page).getByRole("group", { name: OFFERS_WORDING, exact: true });
const newsletterBox = (page: Page) =>
  preferencesForm(page).getByRole("checkbox", { name: NEWSLETTER_WORDING, exact: true });
const saveButton = (page: Page) => preferencesForm(page).getByRole("button", { name: "Save e-mail preferences" });

/** The cells of each row of “Your e-mail choices” on /account/activity: [when, topic, choice, how]. */
async function consentTable(page: Page): Promise<string[][]> {
  return page
    .getByTestId("consent-row")
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.innerText.trim())));
}

test("preferences: Edit Profile asks the policy's offers question with Yes / No, a newsletter box, and lists what is always sent", async ({
  page,
}) => {
  await openProfileAsNewCustomer(page);
  const section = page.locator("section#preferences");
  await openSection(page, "preferences");
  await expect(section.getByRole("heading", { level: 2 })).toHaveText("E-mail preferences");

  // The policy's exact words, answered with Yes / No; a fresh customer has said neither, so No.
  await expect(offersGroup(page)).toBeVisible();
  await expect(offersGroup(page).getByRole("radio")).toHaveCount(2);
  await expect(offersGroup(page).getByRole("radio", { name: "Yes", exact: true })).not.toBeChecked();
  await expect(offersGroup(page).getByRole("radio", { name: "No", exact: true })).toBeChecked();
  await expect(newsletterBox(page)).not.toBeChecked();
  await expect(newsletterBox(page)).toHaveAccessibleDescription(
    "News, tips and what is new on your service, once a month",
  );

  // Transactional mail is listed as always sent, with nothing to switch it off.
  await expect(preferencesForm(page)).toContainText("Always sent, whatever you choose above:");
  await expect(preferencesForm(page).getByRole("listitem")).toHaveText([
    "Account activity — sign-ins, profile changes and other activity on your account",
    "Orders and payments — order and payment confirmations and reminders",
    "Security and policy notices — security alerts and notices of changes to our privacy policy",
  ]);
  await expect(preferencesForm(page)).toContainText("These are part of your service and can't be switched off.");
  await expect(preferencesForm(page).getByRole("checkbox")).toHaveCount(1);
});

test("preferences: saving Yes / No and the newsletter box confirms in words and writes the consent ledger, shown on account activity", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await openSection(page, "preferences");

  await offersGroup(page).getByRole("radio", { name: "Yes", exact: true }).check();
  await newsletterBox(page).check();
  await submitAction(page, saveButton(page));
  await expect(preferencesMessage(page)).toHaveText(
    "Your e-mail preferences were saved (Special offers: yes; Monthly newsletter: yes).",
  );
  expect(await subscriptionsOf(user.id)).toEqual({
    offers: { status: "granted", source: "account" },
    newsletter: { status: "granted", source: "account" },
  });
  const granted = {
    action: "granted",
    source: "account",
    actor_id: user.id,
    wording_version: 1,
    policy_version: POLICY_VERSION,
    ip: expect.stringMatching(LOOPBACK),
    user_agent: userAgent,
  };
  expect(await consentEventsOf(user.id)).toEqual([
    { ...granted, topic_id: "offers", wording: OFFERS_WORDING },
    { ...granted, topic_id: "newsletter", wording: NEWSLETTER_WORDING },
  ]);

  // No to offers only: one event, the newsletter stays as it was.
  await openSection(page, "preferences");
  await offersGroup(page).getByRole("radio", { name: "No", exact: true }).check();
  await submitAction(page, saveButton(page));
  await expect(preferencesMessage(page)).toHaveText("Your e-mail preferences were saved (Special offers: no).");
  expect(await subscriptionsOf(user.id)).toEqual({
    offers: { status: "withdrawn", source: "account" },
    newsletter: { status: "granted", source: "account" },
  });
  const events = await consentEventsOf(user.id);
  expect(events).toHaveLength(3);
  expect(events[2]).toEqual({ ...granted, action: "withdrawn", topic_id: "offers", wording: OFFERS_WORDING });

  // Saving the same choices again records nothing and says so.
  await openSection(page, "preferences");
  await submitAction(page, saveButton(page));
  await expect(preferencesMessage(page)).toHaveText("No changes — your e-mail preferences are as they were.");
  expect(await consentEventsOf(user.id)).toHaveLength(3);

  // Unticking the newsletter box withdraws it.
  await openSection(page, "preferences");
  await newsletterBox(page).uncheck();
  await submitAction(page, saveButton(page));
  await expect(preferencesMessage(page)).toHaveText("Your e-mail preferences were saved (Monthly newsletter: no).");
  expect((await subscriptionsOf(user.id)).newsletter).toEqual({ status: "withdrawn", source: "account" });

  await page.reload();
  await openSection(page, "preferences");
  await expect(offersGroup(page).getByRole("radio", { name: "No", exact: true })).toBeChecked();
  await expect(newsletterBox(page)).not.toBeChecked();

  // The history, newest first (a save's events share one time; the later-written comes first),
  // each with the policy version in force when it was made.
  await page.goto("/account/activity");
  await expect(page.getByRole("heading", { name: "Your e-mail choices", level: 2 })).toBeVisible();
  expect((await consentTable(page)).map(([, topic, choice, how]) => [topic, choice, how])).toEqual([
    ["Monthly newsletter", "No", "In MyAccount\nPrivacy policy 2005-11-14"],
    ["Special offers", "No", "In MyAccount\nPrivacy policy 2005-11-14"],
    ["Monthly newsletter", "Yes", "In MyAccount\nPrivacy policy 2005-11-14"],
    ["Special offers", "Yes", "In MyAccount\nPrivacy policy 2005-11-14"],
  ]);
});

test("preferences: with JavaScript off the form saves by plain POST and shows the server-rendered confirmation", async ({
  browser,
}) => {
  await withProfileWithoutJavaScript(browser, async (page, user) => {
    await openSection(page, "preferences");
    await offersGroup(page).getByRole("radio", { name: "Yes", exact: true }).check();
    await newsletterBox(page).check();
    const posted = page.waitForResponse(
      (res) => res.request().method() === "POST" && new URL(res.url()).pathname === "/account/profile",
    );
    await saveButton(page).click();
    // A full-page form post (no Next-Action fetch), answered with the page rendered by the server.
    expect((await posted).request().headers()["next-action"]).toBeUndefined();
    await expect(preferencesMessage(page)).toHaveText(
      "Your e-mail preferences were saved (Special offers: yes; Monthly newsletter: yes).",
    );
    await openSection(page, "preferences");
    await expect(offersGroup(page).getByRole("radio", { name: "Yes", exact: true })).toBeChecked();
    await expect(newsletterBox(page)).toBeChecked();
    expect(await subscriptionsOf(user.id)).toEqual({
      offers: { status: "granted", source: "account" },
      newsletter: { status: "granted", source: "account" },
    });

    await offersGroup(page).getByRole("radio", { name: "No", exact: true }).check();
    await saveButton(page).click();
    await expect(preferencesMessage(page)).toHaveText("Your e-mail preferences were saved (Special offers: no).");
    expect(await subscriptionsOf(user.id)).toMatchObject({
      offers: { status: "withdrawn" },
      newsletter: { status: "granted" },
    });
    expect((await consentEventsOf(user.id)).map((e) => [e.topic_id, e.action, e.source])).toEqual([
      ["offers", "granted", "account"],
      ["newsletter", "granted", "account"],
      ["offers", "withdrawn", "account"],
    ]);
  });
});

test("preferences: a transactional or unknown topic added to the form is refused and nothing changes", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const before = await consentSnapshot(user.id);
  await openSection(page, "preferences");

  await offersGroup(page).getByRole("radio", { name: "Yes", exact: true }).check();
  for (const name of ["topic:account-activity", "topic:no-such-topic"]) {
    // What a hand-made request would carry: a box for a topic the page does not offer.
    await preferencesForm(page).evaluate((form, n) => {
      form.querySelector("input[data-injected]")?.remove();
      form.insertAdjacentHTML("beforeend", `<input type="hidden" data-injected name="${n}" value="on">`);
    }, name);
    await submitAction(page, saveButton(page));
    await expect(preferencesMessage(page)).toHaveText(
      "That e-mail topic can't be changed here. Transactional e-mail is always sent.",
    );
    expect(await consentSnapshot(user.id)).toEqual(before);
  }
});
