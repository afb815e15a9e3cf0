import { expect, test, type Page } from "@playwright/test";
import { e2e } from "./support/config";
import {
  CONFLICT,
  expectFieldError,
  isServerAction,
  openProfileAsNewCustomer,
  openSection,
  profileForm,
  profileRow,
  profileSnapshot,
  sectionMessage,
  sectionSummary,
  submitAction,
  withProfileWithoutJavaScript,
} from "./support/profile";
import { captureActionForReplay } from "./support/replay";
import { createCustomer } from "./support/users";

async function fillName(page: Page, firstName: string, lastName: string) {
  await openSection(page, "name");
  await profileForm.name(page).getByLabel("First name").fill(firstName);
  await profileForm.name(page).getByLabel("Last name").fill(lastName);
}
const saveNameButton = (page: Page) => profileForm.name(page).getByRole("button", { name: "Save name" });

test("profile: with JavaScript off the name form saves by plain POST, and a bad value shows the server's error", async ({
  browser,
}) => {
  await withProfileWithoutJavaScript(browser, async (page, user) => {
    await fillName(page, "Zoë", "D'Arcy");
    await saveNameButton(page).click();
    await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
    // Back to the summary, showing the saved name.
    await expect(profileForm.name(page)).toHaveCount(0);
    await expect(sectionSummary(page, "name")).toContainText("Zoë D'Arcy");
    expect(await profileRow(user.id)).toMatchObject({ first_name: "Zoë", last_name: "D'Arcy", name_version: 2 });

    const before = await profileSnapshot(user.id);
    await fillName(page, "R2-D2", "Droid");
    await saveNameButton(page).click();
    await expect(sectionMessage.name(page)).toHaveText("Please correct the highlighted fields.");
    await expectFieldError(profileForm.name(page), "First name", "Use letters, spaces, hyphens and apostrophes only");
    // What was typed is still there to correct.
    await expect(profileForm.name(page).getByLabel("First name")).toHaveValue("R2-D2");
    await expect(profileForm.name(page).getByLabel("Last name")).toHaveValue("Droid");
    expect(await profileSnapshot(user.id)).toEqual(before);
  });
});

test("profile: a save from a second tab opened before another save is refused, keeps what was typed beside the saved values, and “Use mine” saves it", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const tabB = await page.context().newPage();
  await tabB.goto("/account/profile");
  await expect((await openSection(tabB, "name")).getByLabel("First name")).toHaveValue(user.firstName);

  await fillName(page, "Alpha", "Ames");
  await submitAction(page, saveNameButton(page));
  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");

  await fillName(tabB, "Bravo", "Banks");
  await submitAction(tabB, saveNameButton(tabB));
  await expect(sectionMessage.name(tabB)).toContainText(CONFLICT);
  // What tab B typed is still in the form; what is saved now is shown beside it.
  await expect(profileForm.name(tabB).getByLabel("First name")).toHaveValue("Bravo");
  await expect(profileForm.name(tabB).getByLabel("Last name")).toHaveValue("Banks");
  await expect(tabB.getByTestId("saved-now")).toContainText("Alpha Ames");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Alpha", last_name: "Ames", name_version: 2 });

  // "Use mine" saves the typed values against the version now stored.
  await submitAction(tabB, profileForm.name(tabB).getByRole("button", { name: "Use mine" }));
  await expect(sectionMessage.name(tabB)).toHaveText("Your name was saved.");
  await expect(sectionSummary(tabB, "name")).toContainText("Bravo Banks");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Bravo", last_name: "Banks", name_version: 3 });
});

test("profile: role, userId, id and emailVerified added to the form are ignored; only the session's user changes", async ({
  page,
}) => {
  const other = await createCustomer();
  const otherBefore = await profileSnapshot(other.id);
  const user = await openProfileAsNewCustomer(page);

  await (
    await openSection(page, "name")
  ).evaluate((form, otherId) => {
    for (const [name, value] of Object.entries({
      role: "admin",
      userId: otherId,
      id: otherId,
      emailVerified: "true",
    })) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
  }, other.id);
  await fillName(page, "Mallory", "Smith");
  const posted = page.waitForRequest((req) => isServerAction(req, "/account/profile"));
  await submitAction(page, saveNameButton(page));
  // The extra fields really went to the server (React prefixes form fields with "_<n>_").
  const body = (await posted).postData() ?? "";
  for (const field of ["role", "userId", "id", "emailVerified"])
    expect(body).toMatch(new RegExp(`name="(_\\d+_)?${field}"`));
  expect(body).toContain(other.id);

  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
  expect(await profileRow(user.id)).toMatchObject({ role: "customer", first_name: "Mallory", last_name: "Smith" });
  expect(await profileSnapshot(other.id)).toEqual(otherBefore);
});

test("profile: a name save replayed over plain HTTP with a spoofed X-Forwarded-Proto is refused and nothing is written", async ({
  page,
  request,
}) => {
  const user = await openProfileAsNewCustomer(page);

  const replay = await captureActionForReplay(page, request, "/account/profile", async () => {
    await fillName(page, "Httpy", "Plain");
    await saveNameButton(page).click();
  });
  const before = await profileSnapshot(user.id);

  const overHttp = await replay(`http://localhost:${e2e.httpPort}`);
  expect(overHttp.status()).toBe(308);
  expect(overHttp.headers()["location"]).toBe(`https://localhost:${e2e.port}/account/profile`);
  expect(await profileSnapshot(user.id)).toEqual(before);

  // Control: the same request over HTTPS is saved, so the refusal was the transport check.
  const overHttps = await replay(e2e.baseURL);
  expect(overHttps.status()).toBe(200);
  expect(await profileRow(user.id)).toMatchObject({ first_name: "Httpy", last_name: "Plain", name_version: 2 });
});
