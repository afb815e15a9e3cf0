import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newContext, signIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import {
  INVALID_LINK,
  LOOPBACK,
  OFFERS_WORDING,
  POLICY_VERSION,
  consentEventsOf,
  consentSnapshot,
  deliveredMail,
  mailboxRows,
  outboxStatus,
  queueMarketingMail,
  releaseMail,
  setConsent,
  subscriptionsOf,
  unsubscribeLinkByMail,
} from "./support/preferences";
import { openSection, profileForm, sectionMessage, submitAction } from "./support/profile";
import { createCustomer, type TestCustomer } from "./support/users";

const ONE_CLICK = { "List-Unsubscribe": "One-Click" };
const MAIL_CLIENT_UA = "e2e-mail-client/1.0 (one-click)";

/**
 * What a mail provider sends for RFC 8058: a form POST from its own site, no cookies, and it must
 * not be redirected.
 */
function oneClick(request: APIRequestContext, url: string, form: Record<string, string> = ONE_CLICK) {
  return request.post(url, {
    form,
    maxRedirects: 0,
    headers: { "User-Agent": MAIL_CLIENT_UA, Origin: "https://mail.example.net" },
  });
}

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });
const status = (page: Page) => page.locator("#unsubscribe-status");

/** A fresh customer opted in to both marketing topics. */
async function optedInCustomer(): Promise<TestCustomer> {
  const user = await createCustomer();
  await setConsent(user.id, ["offers", "newsletter"]);
  return user;
}

test("unsubscribe: the link in a real newsletter shows what stops and changes nothing; “Unsubscribe” then stops that topic only", async ({
  page,
}) => {
  const user = await optedInCustomer();
  const { mail, url } = await unsubscribeLinkByMail(user, "offers");
  // RFC 8058 headers, a List-Id, the marketing sender, and the same link visible in the body.
  expect(mail.headers).toEqual({
    "List-Unsubscribe": `<${url}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "List-Id": "Special offers <offers.lumen-telecom.example>",
  });
  expect(mail.from_address).toContain("news@");
  // The link on a line of its own, so nothing after it joins the URL.
  expect(mail.text_body).toContain(`Unsubscribe with one click:\n${url}\n`);
  const before = await consentSnapshot(user.id);

  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  expect(res?.headers()["cache-control"]).toContain("no-store");
  // The link's address carries the token: it never leaves the site in a Referer.
  expect(res?.headers()["referrer-policy"]).toBe("same-origin");
  await expect(h1(page)).toHaveText("Unsubscribe from Special offers");
  await expect(page.getByRole("main")).toContainText(`This stops “Special offers” e-mail for ${user.email}.`);
  await expect(page.getByRole("main")).toContainText(
    "You will still get messages about your account activity, orders and payments",
  );
  await expect(page.getByRole("button", { name: "Unsubscribe", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from all marketing e-mail", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to manage all your e-mail choices" })).toHaveAttribute(
    "href",
    "/login?next=%2Faccount%2Fprofile%23preferences",
  );
  await expectNoAxeViolations(page);
  // Opening the link (as a mail scanner would, twice) changes nothing.
  await page.reload();
  expect(await consentSnapshot(user.id)).toEqual(before);

  const userAgent = await page.evaluate(() => navigator.userAgent);
  await page.getByRole("button", { name: "Unsubscribe", exact: true }).click();
  await expect(h1(page)).toHaveText("You're unsubscribed");
  await expect(status(page)).toHaveText("You will no longer get “Special offers” e-mail.");
  // Back on the page (a GET after the POST), which offers the way back in.
  expect(page.url()).toBe(url.replace("/u/", "/unsubscribe/") + "?done=topic");
  await expect(page.getByRole("button", { name: "Subscribe again to Special offers" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to MyAccount" })).toHaveAttribute("href", "/account");
  await expectNoAxeViolations(page);

  expect(await subscriptionsOf(user.id)).toEqual({
    offers: { status: "withdrawn", source: "email-link" },
    newsletter: { status: "granted", source: "register" },
  });
  const events = await consentEventsOf(user.id);
  expect(events.slice(0, before.events.length)).toEqual(before.events);
  expect(events.slice(before.events.length)).toEqual([
    {
      topic_id: "offers",
      action: "withdrawn",
      source: "email-link",
      actor_id: null,
      wording: OFFERS_WORDING,
      wording_version: 1,
      policy_version: POLICY_VERSION,
      ip: expect.stringMatching(LOOPBACK),
      user_agent: userAgent,
    },
  ]);
});

test("unsubscribe: “Unsubscribe from all marketing e-mail” withdraws every marketing topic", async ({ page }) => {
  const user = await optedInCustomer();
  const { url } = await unsubscribeLinkByMail(user, "newsletter");
  const before = await consentEventsOf(user.id);

  await page.goto(url);
  await expect(h1(page)).toHaveText("Unsubscribe from Monthly newsletter");
  await page.getByRole("button", { name: "Unsubscribe from all marketing e-mail" }).click();
  await expect(h1(page)).toHaveText("You're unsubscribed");
  await expect(status(page)).toHaveText("You will no longer get any marketing e-mail from us.");

  expect(await subscriptionsOf(user.id)).toEqual({
    offers: { status: "withdrawn", source: "email-link" },
    newsletter: { status: "withdrawn", source: "email-link" },
  });
  expect((await consentEventsOf(user.id)).slice(before.length).map((e) => [e.topic_id, e.action, e.source])).toEqual([
    ["offers", "withdrawn", "email-link"],
    ["newsletter", "withdrawn", "email-link"],
  ]);
});

test("unsubscribe: one-click POST answers 200 without a redirect, once; a newsletter queued before it is not sent, a profile notice still is", async ({
  page,
  request,
}) => {
  const user = await optedInCustomer();
  const { url } = await unsubscribeLinkByMail(user, "newsletter");
  // The next newsletter is already in the outbox when the person unsubscribes.
  const next = await queueMarketingMail(user, "newsletter", { hold: true });

  expect((await request.storageState()).cookies, "the mail provider has no session").toEqual([]);
  const res = await oneClick(request, url);
  expect(res.status()).toBe(200);
  expect(res.headers()["location"]).toBeUndefined();
  expect(await res.text()).toBe("Unsubscribed.\n");
  expect(await subscriptionsOf(user.id)).toEqual({
    offers: { status: "granted", source: "register" },
    newsletter: { status: "withdrawn", source: "one-click" },
  });
  const oneClickEvents = async () => (await consentEventsOf(user.id)).filter((e) => e.source === "one-click");
  expect(await oneClickEvents()).toEqual([
    expect.objectContaining({
      topic_id: "newsletter",
      action: "withdrawn",
      actor_id: null,
      user_agent: MAIL_CLIENT_UA,
      ip: expect.stringMatching(LOOPBACK),
    }),
  ]);

  // Mail providers retry: the second POST is still a plain 200 and records nothing more.
  const again = await oneClick(request, url);
  expect(again.status()).toBe(200);
  expect(await oneClickEvents()).toHaveLength(1);

  // Consent is checked when the mail goes out: the queued newsletter is stopped, never delivered.
  await releaseMail(next);
  await expect.poll(() => outboxStatus(next.outboxId), { timeout: 15_000 }).toBe("suppressed");
  expect(await mailboxRows(user.email, next.subject)).toEqual([]);

  // …while account mail still arrives, from the other sender and without unsubscribe headers.
  await signIn(page, user.username, user.password);
  await page.goto("/account/profile");
  await openSection(page, "name");
  await profileForm.name(page).getByLabel("First name").fill("Still");
  await submitAction(page, profileForm.name(page).getByRole("button", { name: "Save name" }));
  await expect(sectionMessage.name(page)).toHaveText("Your name was saved.");
  const notice = await deliveredMail(user.email, "Your MyAccount profile was updated");
  expect(notice.headers).toEqual({});
  expect(notice.from_address).toContain("no-reply@");
  expect(await mailboxRows(user.email, next.subject)).toEqual([]);
});

test.describe("unsubscribe: bad input changes nothing", () => {
  let user: TestCustomer;
  let url: string;
  let token: string;

  test.beforeAll(async () => {
    user = await optedInCustomer();
    ({ url } = await unsubscribeLinkByMail(user, "offers"));
    token = url.split("/u/")[1];
  });

  test("unsubscribe: a forged, truncated, altered or re-encoded token answers “This unsubscribe link isn't valid” (GET 404, POST 400)", async ({
    page,
    request,
  }) => {
    const before = await consentSnapshot(user.id);
    const swap = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const standard = Buffer.from(token, "base64url").toString("base64");
    const bad: Record<string, string> = {
      forged: randomBytes(41).toString("base64url"),
      truncated: token.slice(0, -6),
      "altered person": swap(token, 10),
      "altered topic": swap(token, 24),
      "altered signature": swap(token, 40),
      "padded (re-encoded)": `${token}=`,
      "with an extra character": `${token}A`,
    };
    // Standard base64 differs from base64url only where the token has "-" or "_".
    if (standard !== token) bad["standard base64 (re-encoded)"] = standard;
    for (const [what, t] of Object.entries(bad)) {
      expect(t, what).not.toBe(token);
      const badUrl = `/u/${encodeURIComponent(t)}`;
      const res = await page.goto(badUrl);
      // The page in the site's layout says so, with Next's not-found status (a page cannot answer 400).
      expect(res?.status(), `GET ${what}`).toBe(404);
      await expect(h1(page), `GET ${what}`).toHaveText(INVALID_LINK);
      await expect(page.getByRole("main")).toContainText("Nothing was changed.");
      for (const form of [ONE_CLICK, { scope: "all" }]) {
        const post = await oneClick(request, badUrl, form);
        expect(post.status(), `POST ${what} ${JSON.stringify(form)}`).toBe(400);
        expect(await post.text()).toContain(`<h1>${INVALID_LINK}</h1>`);
      }
    }
    expect(await consentSnapshot(user.id)).toEqual(before);
    // The genuine link still works (a control: the refusals above were about the token).
    expect((await request.get(url, { maxRedirects: 0 })).status()).toBe(200);
  });

  test("unsubscribe: a POST whose body is not exactly List-Unsubscribe=One-Click or a page button answers 400", async ({
    request,
  }) => {
    const before = await consentSnapshot(user.id);
    const wrong: { what: string; options: Parameters<APIRequestContext["post"]>[1] }[] = [
      { what: "Two-Clicks", options: { form: { "List-Unsubscribe": "Two-Clicks" } } },
      { what: "lower-case value", options: { form: { "List-Unsubscribe": "one-click" } } },
      { what: "empty form", options: { headers: { "Content-Type": "application/x-www-form-urlencoded" }, data: "" } },
      { what: "unknown scope", options: { form: { scope: "everything" } } },
      { what: "JSON", options: { data: { "List-Unsubscribe": "One-Click" } } },
      {
        what: "text/plain",
        options: { headers: { "Content-Type": "text/plain" }, data: "List-Unsubscribe=One-Click" },
      },
    ];
    for (const { what, options } of wrong) {
      const res = await request.post(url, { ...options, maxRedirects: 0 });
      expect(res.status(), what).toBe(400);
      expect(await res.text(), what).toContain("<h1>We couldn't process that request</h1>");
    }
    expect(await consentSnapshot(user.id)).toEqual(before);
    expect(await subscriptionsOf(user.id)).toMatchObject({ offers: { status: "granted" } });
  });
});

// No database needed: a token that was never signed is refused before any lookup (runs on PGlite too).
test("unsubscribe: a forged link shows the invalid-link page with no WCAG 2.2 AA violations @smoke", async ({
  page,
}) => {
  const res = await page.goto(`/u/${randomBytes(41).toString("base64url")}`);
  expect(res?.status()).toBe(404);
  await expect(h1(page)).toHaveText(INVALID_LINK);
  await expect(page.getByRole("link", { name: "Sign in to manage all your e-mail choices" })).toBeVisible();
  await expectNoAxeViolations(page);
});

for (const javaScriptEnabled of [true, false]) {
  test(`unsubscribe: the page is in the site's layout and fonts; after unsubscribing, “Subscribe again” is recorded with its own source (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const user = await optedInCustomer();
    const { url } = await unsubscribeLinkByMail(user, "offers");
    const context = await newContext(browser, { javaScriptEnabled });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      const siteFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      await context.clearCookies();

      const res = await page.goto(url);
      expect(res?.status()).toBe(200);
      // A page like every other: the site's header and footer, its font, a nonce CSP for its scripts.
      expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/);
      await expect(page.getByRole("banner")).toBeVisible();
      await expect(page.getByRole("contentinfo")).toBeVisible();
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toBe(siteFont);
      // …without the customer pages' chat button.
      await expect(page.getByRole("button", { name: "Need Help" })).toHaveCount(0);
      await expect(page).toHaveURL(url);

      await page.getByRole("button", { name: "Unsubscribe", exact: true }).click();
      await expect(h1(page)).toHaveText("You're unsubscribed");
      expect(await subscriptionsOf(user.id)).toMatchObject({ offers: { status: "withdrawn", source: "email-link" } });

      await page.getByRole("button", { name: "Subscribe again to Special offers" }).click();
      await expect(h1(page)).toHaveText("You're subscribed again");
      await expect(status(page)).toHaveText("You will get “Special offers” e-mail again.");
      // axe runs in the page: the JavaScript-on run checks the same page.
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      expect(await subscriptionsOf(user.id)).toMatchObject({ offers: { status: "granted", source: "resubscribe" } });
      const again = (await consentEventsOf(user.id)).filter((e) => e.source === "resubscribe");
      expect(again).toEqual([
        expect.objectContaining({ topic_id: "offers", action: "granted", actor_id: null, wording: OFFERS_WORDING }),
      ]);
      await page.getByRole("link", { name: "Go to MyAccount" }).click();
      await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
    } finally {
      await context.close();
    }
  });
}

test("unsubscribe: the one-click POST answer keeps the strict CSP of a page without scripts", async ({ request }) => {
  const user = await optedInCustomer();
  const { url } = await unsubscribeLinkByMail(user, "newsletter");
  const res = await oneClick(request, url);
  expect(res.status()).toBe(200);
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("nonce-");
});
