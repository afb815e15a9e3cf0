import { expect, test, type Page } from "@playwright/test";
import {
  addressRows,
  expectFieldError,
  openProfileAsNewCustomer,
  openSection,
  paymentRows,
  profileForm,
  profileRow,
  profileSnapshot,
  isServerAction,
  sectionMessage,
  sectionSummary,
  submitAction,
  watchDialogs,
} from "./support/profile";

const nextYear = new Date().getUTCFullYear() + 1;

async function saveName(page: Page, firstName: string, lastName: string) {
  const form = await openSection(page, "name");
  await form.getByLabel("First name").fill(firstName);
  await form.getByLabel("Last name").fill(lastName);
  await submitAction(page, form.getByRole("button", { name: "Save name" }));
}

test("profile: names in any script are saved and confirmed (José Nguyễn, O'Brien 李)", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);

  await saveName(page, "José", "Nguyễn");
  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "José", last_name: "Nguyễn", name_version: 2 });
  // The save closed the form and its section shows the new name (from the action's answer).
  await expect(profileForm.name(page)).toHaveCount(0);
  await expect(sectionSummary(page, "name")).toContainText("José Nguyễn");

  // A second save (the form reopens with the new version) goes through too.
  await saveName(page, "O'Brien", "李");
  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
  expect(await profileRow(user.id)).toMatchObject({ first_name: "O'Brien", last_name: "李", name_version: 3 });

  await page.reload();
  await expect(sectionSummary(page, "name")).toContainText("O'Brien 李");
  await expect((await openSection(page, "name")).getByLabel("First name")).toHaveValue("O'Brien");
  await expect(profileForm.name(page).getByLabel("Last name")).toHaveValue("李");
});

test("profile: addresses save, and unticking “same as service” saves a separate billing address", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);
  const form = await openSection(page, "addresses");
  const same = form.getByLabel("Billing address is the same as service address");
  const billingStreet = form.getByLabel("Billing street address");

  // With JavaScript on, the billing block stays hidden while the box is ticked.
  await expect(same).toBeChecked();
  await expect(billingStreet).toBeHidden();

  await form.getByLabel("Street address", { exact: true }).fill("1600 Pennsylvania Ave NW");
  await form.getByLabel("Apartment, suite, unit (optional)", { exact: true }).fill("Suite 200");
  await form.getByLabel("City", { exact: true }).fill("Washington");
  await form.getByLabel("State", { exact: true }).selectOption("DC");
  await form.getByLabel("ZIP code", { exact: true }).fill("20500-0003");

  await same.uncheck();
  await expect(billingStreet).toBeVisible();
  await billingStreet.fill("PO Box 42");
  await form.getByLabel("Billing city").fill("Boulder");
  await form.getByLabel("Billing state").selectOption("CO");
  await form.getByLabel("Billing ZIP code").fill("80302");
  await submitAction(page, form.getByRole("button", { name: "Save addresses" }));

  await expect(sectionMessage.addresses(page)).toHaveText("Your addresses were saved.");
  expect(await addressRows(user.id)).toEqual([
    {
      kind: "service",
      line1: "1600 Pennsylvania Ave NW",
      line2: "Suite 200",
      city: "Washington",
      state: "DC",
      zip: "20500-0003",
    },
    { kind: "billing", line1: "PO Box 42", line2: "", city: "Boulder", state: "CO", zip: "80302" },
  ]);
  expect(await profileRow(user.id)).toMatchObject({ billing_same_as_service: false, address_version: 2 });

  await expect(sectionSummary(page, "addresses")).toContainText("PO Box 42, Boulder, CO 80302");
  await page.reload();
  await openSection(page, "addresses");
  await expect(form.getByLabel("Billing address is the same as service address")).not.toBeChecked();
  await expect(form.getByLabel("Billing street address")).toHaveValue("PO Box 42");
  await expect(form.getByLabel("ZIP code", { exact: true })).toHaveValue("20500-0003");

  // Ticking it again drops the separate billing address.
  await form.getByLabel("Billing address is the same as service address").check();
  await expect(form.getByLabel("Billing street address")).toBeHidden();
  await submitAction(page, form.getByRole("button", { name: "Save addresses" }));
  await expect(sectionMessage.addresses(page)).toHaveText("Your addresses were saved.");
  expect((await addressRows(user.id)).map((a) => a.kind)).toEqual(["service"]);
  expect(await profileRow(user.id)).toMatchObject({ billing_same_as_service: true, address_version: 3 });
});

test("profile: a phone typed as 303.555.0123 is stored as E.164 and shown as (303) 555-0123", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);
  const phone = (await openSection(page, "phone")).getByLabel("Phone number");
  await phone.fill("303.555.0123");
  await submitAction(page, profileForm.phone(page).getByRole("button", { name: "Save phone number" }));

  await expect(sectionMessage.phone(page)).toHaveText("Your phone number was saved.");
  await expect(sectionSummary(page, "phone")).toContainText("(303) 555-0123");
  expect(await profileRow(user.id)).toMatchObject({ phone: "+13035550123", phone_version: 2 });
  await expect((await openSection(page, "phone")).getByLabel("Phone number")).toHaveValue("(303) 555-0123");

  await page.reload();
  await expect(sectionSummary(page, "phone")).toContainText("(303) 555-0123");
});

test("profile: a card, then a bank account, is saved and shown only as its last four digits", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);
  await expect(sectionSummary(page, "payment")).toContainText("No payment method on file");
  const form = await openSection(page, "payment");
  await expect(page.getByTestId("payment-on-file")).toHaveText("No payment method on file.");

  await form.getByLabel("Credit or debit card").check();
  await form.getByLabel("Name on card").fill("José Nguyễn");
  await form.getByLabel("Card number").fill("5555 5555 5555 4444");
  await form.getByLabel("Expiry month").selectOption("7");
  await form.getByLabel("Expiry year").selectOption(String(nextYear));
  await submitAction(page, form.getByRole("button", { name: "Save payment method" }));

  const cardSummary = `Mastercard ending in 4444, expires 07/${nextYear}`;
  await expect(sectionMessage.payment(page)).toHaveText(`Saved: ${cardSummary}.`);
  await expect(sectionSummary(page, "payment")).toContainText(cardSummary);
  expect(await paymentRows(user.id)).toMatchObject([
    { kind: "card", label: "Mastercard", last4: "4444", exp_month: 7, exp_year: nextYear, holder_name: "José Nguyễn" },
  ]);
  await openSection(page, "payment");
  await expect(page.getByTestId("payment-on-file")).toHaveText(`On file: ${cardSummary}`);

  await form.getByLabel("Bank account").check();
  await expect(form.getByLabel("Card number")).toBeHidden();
  await form.getByLabel("Account holder name").fill("José Nguyễn");
  await form.getByLabel("Account type").selectOption("savings");
  await form.getByLabel("Routing number").fill("021000021");
  await form.getByLabel("Account number", { exact: true }).fill("000123456789");
  await submitAction(page, form.getByRole("button", { name: "Save payment method" }));

  await expect(sectionMessage.payment(page)).toHaveText("Saved: Savings account ending in 6789.");
  await expect(sectionSummary(page, "payment")).toContainText("Savings account ending in 6789");
  const rows = await paymentRows(user.id);
  expect(rows).toMatchObject([
    { kind: "bank", label: "Savings account", last4: "6789", exp_month: null, exp_year: null },
  ]);
  expect(rows[0].encrypted_number).not.toContain("000123456789");
  expect(await profileRow(user.id)).toMatchObject({ payment_version: 3 });
});

test("profile: field errors show beside their fields, are announced, and nothing is written", async ({ page }) => {
  const user = await openProfileAsNewCustomer(page);
  const before = await profileSnapshot(user.id);

  const name = await openSection(page, "name");
  await name.getByLabel("First name").fill("");
  await name.getByRole("button", { name: "Save name" }).click();
  await expectFieldError(name, "First name", "Enter your first name");

  const addresses = await openSection(page, "addresses");
  await addresses.getByLabel("ZIP code", { exact: true }).fill("8020");
  await addresses.getByRole("button", { name: "Save addresses" }).click();
  await expectFieldError(addresses, "ZIP code", "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)");

  const phone = await openSection(page, "phone");
  await phone.getByLabel("Phone number").fill("123-456-7890");
  await phone.getByRole("button", { name: "Save phone number" }).click();
  await expectFieldError(phone, "Phone number", "Enter a US phone number, such as (303) 555-0123");

  const payment = await openSection(page, "payment");
  await payment.getByLabel("Name on card").fill("Test Person");
  await payment.getByLabel("Card number").fill("4111 1111 1111 1112");
  // Last month of this year: the year list starts at this year, so in January use an injected
  // last-year option (what a stale autofill or a crafted form could send).
  const now = new Date();
  let expiredYear = now.getUTCFullYear();
  let expiredMonth = now.getUTCMonth(); // 0-based, so this is last month's 1-based number
  if (expiredMonth === 0) {
    expiredYear -= 1;
    expiredMonth = 12;
    await payment
      .getByLabel("Expiry year")
      .evaluate((el, y) => (el as HTMLSelectElement).add(new Option(String(y), String(y))), expiredYear);
  }
  await payment.getByLabel("Expiry month").selectOption(String(expiredMonth));
  await payment.getByLabel("Expiry year").selectOption(String(expiredYear));
  await payment.getByRole("button", { name: "Save payment method" }).click();
  await expectFieldError(payment, "Card number", "Check the card number — it isn't valid");
  await expectFieldError(payment, "Expiry year", "This card has expired");

  await payment.getByLabel("Bank account").check();
  await payment.getByLabel("Account holder name").fill("Test Person");
  await payment.getByLabel("Routing number").fill("021000022");
  await payment.getByLabel("Account number", { exact: true }).fill("123456789");
  await payment.getByRole("button", { name: "Save payment method" }).click();
  await expectFieldError(payment, "Routing number", "Check the routing number — it isn't valid");

  // None of the sections reported a save, and the database is as it was.
  for (const section of ["name", "addresses", "phone", "payment"] as const)
    await expect(sectionMessage[section](page)).toHaveCount(0);
  expect(await profileSnapshot(user.id)).toEqual(before);
});

test("profile: a saved card number is never sent back — only “Visa ending in 1111” — and the input is emptied", async ({
  page,
}) => {
  const user = await openProfileAsNewCustomer(page);
  const form = await openSection(page, "payment");
  await form.getByLabel("Name on card").fill("Test Person");
  await form.getByLabel("Card number").fill("4111 1111 1111 1111");
  await form.getByLabel("Expiry month").selectOption("3");
  await form.getByLabel("Expiry year").selectOption(String(nextYear));

  // Keep the server action's answer as the browser received it (the RSC stream is not kept by
  // the browser once the page moves on, so read it on the way through).
  const answers: { posted: string; body: string }[] = [];
  await page.route("**/account/profile", async (route) => {
    if (!isServerAction(route.request(), "/account/profile")) return route.fallback();
    const response = await route.fetch();
    answers.push({ posted: route.request().postData() ?? "", body: await response.text() });
    await route.fulfill({ response });
  });
  await form.getByRole("button", { name: "Save payment method" }).click();
  await expect.poll(() => answers.length).toBe(1);
  // The request did carry the number (so the check of the answer is not a no-op).
  expect(answers[0].posted).toContain("4111 1111 1111 1111");
  expect(answers[0].body).toContain("Visa ending in 1111");
  expect(answers[0].body).not.toMatch(/4111[\s-]*1111[\s-]*1111[\s-]*1111/);

  const summary = `Visa ending in 1111, expires 03/${nextYear}`;
  await expect(sectionMessage.payment(page)).toHaveText(`Saved: ${summary}.`);
  await expect((await openSection(page, "payment")).getByLabel("Card number")).toHaveValue("");

  await page.reload();
  await expect(sectionSummary(page, "payment")).toContainText(summary);
  await openSection(page, "payment");
  await expect(page.getByTestId("payment-on-file")).toHaveText(`On file: ${summary}`);
  await expect(profileForm.payment(page).getByLabel("Card number")).toHaveValue("");
  const html = await page.content();
  expect(html).toContain(summary);
  expect(html).not.toMatch(/4111[\s-]*1111[\s-]*1111[\s-]*1111/);

  const [row] = await paymentRows(user.id);
  expect(row).toMatchObject({ label: "Visa", last4: "1111" });
  expect(row.encrypted_number).not.toContain("4111111111111111");
});

test("profile: HTML and script typed into a field are stored and shown as text, never run", async ({ page }) => {
  const dialogs = watchDialogs(page);
  const user = await openProfileAsNewCustomer(page);
  const line1 = "<img src=x onerror=alert(1)>";
  const line2 = "<script>alert(2)</script>";
  const form = await openSection(page, "addresses");
  await form.getByLabel("Street address", { exact: true }).fill(line1);
  await form.getByLabel("Apartment, suite, unit (optional)", { exact: true }).fill(line2);
  await submitAction(page, form.getByRole("button", { name: "Save addresses" }));
  await expect(sectionMessage.addresses(page)).toHaveText("Your addresses were saved.");
  expect(await addressRows(user.id)).toMatchObject([{ kind: "service", line1, line2 }]);

  await page.reload();
  await expect(sectionSummary(page, "addresses")).toContainText(line1);
  await openSection(page, "addresses");
  await expect(form.getByLabel("Street address", { exact: true })).toHaveValue(line1);
  await expect(form.getByLabel("Apartment, suite, unit (optional)", { exact: true })).toHaveValue(line2);
  // Neither became an element of the page.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(
    await page.locator("script").evaluateAll((els) => els.filter((s) => s.textContent?.trim() === "alert(2)").length),
  ).toBe(0);
  expect(dialogs).toEqual([]);
});
