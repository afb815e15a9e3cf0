import { expect, test, type Browser, type Page } from "@playwright/test";
import { newContext } from "../support/auth";
import { e2e } from "../support/config";
import { createCustomer, testDb } from "../support/users";
import {
  actionId,
  browserHeaders,
  callAction,
  marker,
  raw,
  refusalOf,
  SESSION_COOKIE,
  sessionFor,
  userIdOf,
} from "./support";

/*
 * Script payloads typed into every free-text field a customer or visitor fills in (address lines,
 * city, Contact Us name and message, chat name and message) are stored through the real actions
 * and then opened where they are shown: the customer's own profile, the rep's queue and Contact Us
 * list, the customer record in the console. Each page shows them as text; none of them runs (a
 * global flag stays unset, no dialog opens, no element with an event handler appears).
 */

test.skip(e2e.db !== "postgres", "stores the payloads through the app and reads ids from Postgres");

const payloads = (m: string) => [
  `<script>window.__xss='${m}-script'</script>`,
  `<img src=x onerror="window.__xss='${m}-img'">`,
  `"><svg onload="window.__xss='${m}-svg'">`,
  `javascript:window.__xss='${m}-js'`,
];

async function openAs(browser: Browser, cookie: string, url: string) {
  const context = await newContext(browser);
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: cookie.slice(SESSION_COOKIE.length + 1),
      url: e2e.baseURL,
      secure: true,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(200);
  return { page, dialogs, close: () => context.close() };
}

/** Nothing ran and nothing became markup: no flag, no dialog, no element carrying a handler. */
async function expectInert(page: Page, dialogs: string[], label: string) {
  await page.waitForLoadState("load");
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), label).toBeUndefined();
  expect(dialogs, label).toEqual([]);
  const handlers = await page.evaluate(() =>
    [...document.querySelectorAll("[onerror],[onload],[onclick]")].map((e) => e.outerHTML).slice(0, 3),
  );
  expect(handlers, label).toEqual([]);
  const links = await page.evaluate(() =>
    [...document.querySelectorAll("a[href]")]
      .map((a) => a.getAttribute("href") ?? "")
      .filter((h) => /^javascript:/i.test(h)),
  );
  expect(links, label).toEqual([]);
}

test("xss: script payloads in the address are shown as text to the customer and to the rep holding a grant", async ({
  browser,
}) => {
  const m = marker();
  const [script, img, svg, js] = payloads(m);
  const customer = await createCustomer();
  const { cookie } = await sessionFor(customer.id);
  const { rows } = await testDb().query<{ address_version: number }>(
    "select address_version from users where id = $1",
    [customer.id],
  );
  const saved = await callAction({
    id: actionId("app/account/profile/actions.ts", "updateAddressAction"),
    page: "/account/profile",
    cookie,
    input: {
      version: String(rows[0].address_version),
      serviceLine1: script.slice(0, 100),
      serviceLine2: img.slice(0, 100),
      serviceCity: svg.slice(0, 60),
      serviceState: "CO",
      serviceZip: customer.zip,
      billingLine1: js.slice(0, 100),
      billingCity: `${m} city`,
      billingState: "CO",
      billingZip: "80202",
    },
  });
  expect(refusalOf(saved), JSON.stringify(saved.value)).toBe("ACCEPTED");

  const own = await openAs(browser, cookie, "/account/profile");
  await expect(own.page.getByText(script.slice(0, 100)).first()).toBeVisible();
  await expectInert(own.page, own.dialogs, "customer's profile");
  await own.close();

  // The rep states a reason (a grant), then opens the customer's record.
  const rep = await sessionFor(await userIdOf("rep"));
  const opened = await callAction({
    id: actionId("app/console/customers/[id]/actions.ts", "openCustomerAction"),
    page: `/console/customers/${customer.id}`,
    bound: [customer.id],
    cookie: rep.cookie,
    input: { reason: "phone", reasonText: "", reference: "" },
  });
  expect(opened.status).toBeLessThan(500);
  expect(opened.redirect ?? refusalOf(opened)).toContain(`/console/customers/${customer.id}`);
  const staff = await openAs(browser, rep.cookie, `/console/customers/${customer.id}`);
  await expect(staff.page.getByText(script.slice(0, 100)).first()).toBeVisible();
  await expectInert(staff.page, staff.dialogs, "rep's customer record");
  await staff.close();
});

test("xss: script payloads in Contact Us and in a chat are shown as text in the rep's queue", async ({ browser }) => {
  const m = marker();
  const [script, img, svg] = payloads(m);
  const contact = await callAction({
    id: actionId("app/contact/actions.ts", "submitContactRequestAction"),
    page: "/contact",
    input: {
      name: img.slice(0, 100),
      email: `${m}@example.test`,
      topic: "Something else",
      message: `${script} ${svg}`,
    },
  });
  expect(contact.status).toBeLessThan(500);
  const chat = await raw({
    method: "POST",
    path: "/api/chat/start",
    headers: { ...browserHeaders(), "content-type": "application/json" },
    body: JSON.stringify({
      name: svg.slice(0, 100),
      email: `${m}-chat@example.test`,
      topic: "",
      message: `${script} ${img}`,
    }),
  });
  expect(chat.status, chat.body.slice(0, 200)).toBeLessThan(300);

  const stored = await testDb().query<{ n: string }>(
    `select (select count(*) from contact_requests where strpos(to_jsonb(contact_requests)::text, $1) > 0)
          + (select count(*) from chat_messages where strpos(body, $1) > 0) as n`,
    [m],
  );
  expect(Number(stored.rows[0].n)).toBeGreaterThan(0);

  const rep = await sessionFor(await userIdOf("rep"));
  for (const url of ["/console/chats"]) {
    const view = await openAs(browser, rep.cookie, url);
    await expectInert(view.page, view.dialogs, url);
    await view.close();
  }
});
