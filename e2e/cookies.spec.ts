import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { COOKIE_REGISTRY } from "../lib/cookies/registry";
import { DEMO_PASSWORD, newContext, signIn, storageStateFor, submitSignIn } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { e2e } from "./support/config";
import { createCustomer, randomSuffix, testDb } from "./support/users";

// Cookie choices (components/cookies, lib/cookies) and the usage figures they gate (lib/usage).

const CONSENT = "__Host-myaccount-consent";
const REMEMBER = "myaccount_remember_username";
const registered = new Map(COOKIE_REGISTRY.map((c) => [c.name, c]));

const banner = (page: Page) => page.getByRole("region", { name: "Cookies on MyAccount" });
const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

/** Cookies in the jar that are not essential per the registry (unknown ones count as not essential). */
async function nonEssential(context: BrowserContext): Promise<string[]> {
  return (await cookieNames(context)).filter((n) => registered.get(n)?.category !== "essential");
}

async function pageViews(day: string, path: string): Promise<number> {
  const { rows } = await testDb().query<{ views: number }>(
    "select views from usage_page_views where day = $1 and path = $2",
    [day, path],
  );
  return rows[0]?.views ?? 0;
}

async function campaignVisits(source: string): Promise<number> {
  const { rows } = await testDb().query<{ visits: number }>(
    "select coalesce(sum(visits), 0)::int as visits from usage_campaigns where source = $1",
    [source],
  );
  return rows[0].visits;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Horizontal overflow of the page, in pixels (0 when nothing scrolls sideways). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Counting happens after the response: give the fire-and-forget write a moment. */
async function eventually(read: () => Promise<number>, expected: number) {
  await expect.poll(read, { timeout: 5_000 }).toBe(expected);
}

test.describe("signed out", () => {
  test("cookies: a first visit shows the banner in the page flow with three equal answers, and sets nothing optional @smoke", async ({
    page,
    context,
  }, testInfo) => {
    await page.goto("/contact");
    const b = banner(page);
    await expect(b).toBeVisible();
    const answers = [
      b.getByRole("button", { name: "Accept all" }),
      b.getByRole("button", { name: "Reject non-essential" }),
      b.getByRole("link", { name: "Settings" }),
    ];
    const boxes = await Promise.all(answers.map((a) => a.boundingBox()));
    const styles = await Promise.all(
      answers.map((a) =>
        a.evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.fontSize, s.fontWeight, s.backgroundColor, s.color, s.borderWidth, s.height].join(" ");
        }),
      ),
    );
    expect(new Set(styles).size, styles.join(" | ")).toBe(1);
    for (const box of boxes) expect(box!.height).toBeGreaterThanOrEqual(44);
    // In the flow, not over it: nothing of the banner is fixed or sticky, and the page's heading follows it.
    const position = await b.evaluate((el) => {
      for (let n: Element | null = el; n; n = n.parentElement) {
        const p = getComputedStyle(n).position;
        if (p === "fixed" || p === "sticky") return p;
      }
      return "static";
    });
    expect(position).toBe("static");
    const bannerBox = (await b.boundingBox())!;
    const heading = (await page.getByRole("heading", { level: 1 }).boundingBox())!;
    expect(heading.y).toBeGreaterThanOrEqual(bannerBox.y + bannerBox.height);
    expect(await nonEssential(context)).toEqual([]);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: testInfo.outputPath("banner-1280.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(b.getByRole("link", { name: "Settings" })).toBeVisible();
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.screenshot({ path: testInfo.outputPath("banner-390.png") });
    await page.setViewportSize({ width: 1280, height: 720 });
    // Settings leads to the page where the categories can be chosen.
    await b.getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/privacy\/cookies$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cookies");
  });

  test("cookies: Reject non-essential keeps only essential cookies, returns to the same page and asks no more", async ({
    page,
    context,
  }) => {
    await page.goto("/contact?topic=billing");
    await banner(page).getByRole("button", { name: "Reject non-essential" }).click();
    await expect(banner(page)).toHaveCount(0);
    await expect(page).toHaveURL(/\/contact\?topic=billing$/);
    expect(await cookieNames(context)).toEqual([CONSENT]);
    expect(await nonEssential(context)).toEqual([]);
    await page.goto("/login");
    await expect(banner(page)).toHaveCount(0);
    // Refused functional cookies: the sign-in form says why its box would set one.
    await expect(
      page.getByText(/You have refused functional cookies\. Ticking this box sets one functional cookie/),
    ).toBeVisible();
    await expect(page.getByLabel("Remember my username")).toHaveAccessibleDescription(/refused functional cookies/);
  });

  test("cookies: a forged or unknown consent cookie counts as no consent — the banner asks and nothing is counted", async ({
    page,
    context,
  }) => {
    for (const value of ["1.yy.AAAAAAAAAAAAAAAAAAAAAA", "accept-all", "2.yy.c2lnbmVkLWJ5LW5vYm9keQ"]) {
      await context.clearCookies();
      await context.addCookies([{ name: CONSENT, value, url: e2e.baseURL, secure: true, httpOnly: true }]);
      const before = await pageViews(today(), "/forgot-password");
      await page.goto("/forgot-password");
      await expect(banner(page)).toBeVisible();
      await expect(banner(page).getByRole("button", { name: "Accept all" })).toBeVisible();
      await page.waitForTimeout(300);
      expect(await pageViews(today(), "/forgot-password")).toBe(before);
    }
  });

  test("cookies: Accept all counts page loads by route and campaign visits, and nothing that identifies", async ({
    page,
  }) => {
    const source = `e2e-${randomSuffix()}`;
    const landing = `/register?utm_source=${source}&utm_medium=email&utm_campaign=spring`;
    const before = await pageViews(today(), "/register");
    // The landing page, before any choice: not counted.
    await page.goto(landing);
    await page.waitForTimeout(300);
    expect(await pageViews(today(), "/register")).toBe(before);
    expect(await campaignVisits(source)).toBe(0);
    // Saying yes on it counts that page and its campaign once.
    await banner(page).getByRole("button", { name: "Accept all" }).click();
    await expect(banner(page)).toHaveCount(0);
    await eventually(() => pageViews(today(), "/register"), before + 1);
    await eventually(() => campaignVisits(source), 1);
    // Every later page load counts.
    await page.goto(landing);
    await eventually(() => pageViews(today(), "/register"), before + 2);
    await eventually(() => campaignVisits(source), 2);
    // An id-bearing or unknown URL adds no path of its own.
    await page.goto(`/no-such-page-${source}`);
    await page.waitForTimeout(300);
    const { rows } = await testDb().query("select path from usage_page_views where path like $1", [`%${source}%`]);
    expect(rows).toEqual([]);
  });

  test("cookies: without JavaScript the banner's form works and returns to the same page", async ({ browser }) => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/forgot-password?from=mail");
    const before = await pageViews(today(), "/forgot-password");
    await banner(page).getByRole("button", { name: "Accept all" }).click();
    await expect(page).toHaveURL(/\/forgot-password\?from=mail$/);
    await expect(banner(page)).toHaveCount(0);
    // The page loaded again after the answer is counted, once.
    await eventually(() => pageViews(today(), "/forgot-password"), before + 1);
    await page.waitForTimeout(300);
    expect(await pageViews(today(), "/forgot-password")).toBe(before + 1);
    const consent = (await context.cookies()).find((c) => c.name === CONSENT);
    expect(consent?.value).toMatch(/^1\.yy\./);
    expect(consent).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    // The settings form too.
    await page.goto("/privacy/cookies");
    await page.getByLabel("Analytics").uncheck();
    await page.getByRole("button", { name: "Save cookie choices" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your cookie choices are saved." })).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === CONSENT)?.value).toMatch(/^1\.yn\./);
    await context.close();
  });

  test("cookies: a return path to another site is refused; the browser stays on this site", async ({ page }) => {
    await page.goto("/contact");
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>(
        'section[aria-labelledby="cookie-banner-heading"] input[name="returnTo"]',
      );
      if (input) input.value = "//evil.example/steal";
    });
    await banner(page).getByRole("button", { name: "Reject non-essential" }).click();
    await expect(banner(page)).toHaveCount(0);
    expect(new URL(page.url()).host).toBe(new URL(e2e.baseURL).host);
  });
});

test.describe("Global Privacy Control", () => {
  test.use({ extraHTTPHeaders: { "Sec-GPC": "1" } });

  test("cookies: Sec-GPC: 1 asks no question, says it was taken as a refusal, and counts nothing @smoke", async ({
    page,
    context,
  }) => {
    await page.goto("/contact");
    await expect(banner(page)).toBeVisible();
    await expect(banner(page)).toContainText("Global Privacy Control");
    await expect(banner(page).getByRole("button", { name: "Accept all" })).toHaveCount(0);
    await expect(banner(page).getByRole("button", { name: "Reject non-essential" })).toHaveCount(0);
    await expectNoAxeViolations(page);
    expect(await nonEssential(context)).toEqual([]);
    await page.goto("/login");
    await expect(page.getByText(/Your browser asks sites not to set optional cookies/)).toBeVisible();
    await banner(page).getByRole("button", { name: "OK" }).click();
    await expect(banner(page)).toHaveCount(0);
    expect((await context.cookies()).find((c) => c.name === CONSENT)?.value).toMatch(/^1\.nn\./);
  });

  test("cookies: with GPC even a genuine Accept all cookie counts nothing", async ({ page }) => {
    await page.goto("/contact");
    await page.goto("/privacy/cookies");
    await page.getByLabel("Functional").check();
    await page.getByLabel("Analytics").check();
    await page.getByRole("button", { name: "Save cookie choices" }).click();
    await expect(page.getByText("Your cookie choices are saved.")).toBeVisible();
    await expect(page.getByText(/Global Privacy Control signal/).first()).toBeVisible();
    const before = await pageViews(today(), "/privacy/cookies");
    await page.goto("/privacy/cookies");
    await page.waitForTimeout(400);
    expect(await pageViews(today(), "/privacy/cookies")).toBe(before);
  });
});

test.describe("remember my username", () => {
  test("cookies: refused functional cookies — the box explains; ticking it is consent to that one cookie, recorded", async ({
    page,
    context,
  }) => {
    const user = await createCustomer();
    await page.goto("/login");
    await banner(page).getByRole("button", { name: "Reject non-essential" }).click();
    await expect(banner(page)).toHaveCount(0);
    await expect(page.getByText(/You have refused functional cookies/)).toBeVisible();
    // Not ticked: no functional cookie.
    await submitSignIn(page, user.username, user.password, { remember: false });
    await expect(page).toHaveURL(/\/account$/);
    expect(await nonEssential(context)).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    // Ticked: the cookie, the consent cookie's functional flag, and a ledger row from sign-in.
    await submitSignIn(page, user.username, user.password, { remember: true });
    await expect(page).toHaveURL(/\/account$/);
    expect(await nonEssential(context)).toEqual([REMEMBER]);
    expect((await context.cookies()).find((c) => c.name === CONSENT)?.value).toMatch(/^1\.yn\./);
    const { rows } = await testDb().query(
      "select choice, action, source from privacy_choice_events where user_id = $1 order by id",
      [user.id],
    );
    expect(rows).toEqual([{ choice: "cookies_functional", action: "granted", source: "sign-in" }]);
    // Refusing functional cookies again removes the remembered username at once, and is recorded.
    await page.goto("/privacy/cookies");
    await page.getByLabel("Functional").uncheck();
    await page.getByRole("button", { name: "Save cookie choices" }).click();
    await expect(page.getByText("Your cookie choices are saved.")).toBeVisible();
    expect(await nonEssential(context)).toEqual([]);
    const after = await testDb().query(
      "select choice, action, source from privacy_choice_events where user_id = $1 order by id",
      [user.id],
    );
    // The form answers both categories: analytics, refused before as a visitor, is recorded now as
    // this customer's first answer.
    expect(after.rows).toEqual([
      { choice: "cookies_functional", action: "granted", source: "sign-in" },
      { choice: "cookies_functional", action: "withdrawn", source: "privacy-centre" },
      { choice: "cookies_analytics", action: "withdrawn", source: "privacy-centre" },
    ]);
  });

  test("cookies: a signed-in customer's choice from the banner is recorded and applies in a browser without the cookie", async ({
    browser,
  }) => {
    const user = await createCustomer();
    const first = await newContext(browser);
    const page = await first.newPage();
    await signIn(page, user.username, user.password);
    await banner(page).getByRole("button", { name: "Accept all" }).click();
    await expect(banner(page)).toHaveCount(0);
    const { rows } = await testDb().query(
      "select choice, action, source from privacy_choice_events where user_id = $1 order by choice",
      [user.id],
    );
    expect(rows).toEqual([
      { choice: "cookies_functional", action: "granted", source: "banner" },
      { choice: "cookies_analytics", action: "granted", source: "banner" },
    ]);
    await first.close();
    // Another browser: asked while signed out, not once signed in.
    const second = await newContext(browser);
    const other = await second.newPage();
    await other.goto("/login");
    await expect(banner(other)).toBeVisible();
    await submitSignIn(other, user.username, user.password);
    await expect(other).toHaveURL(/\/account$/);
    await expect(banner(other)).toHaveCount(0);
    expect((await second.cookies()).find((c) => c.name === CONSENT)?.value).toMatch(/^1\.yy\./);
    await second.close();
  });
});

test("cookies: /privacy/cookies lists every registered cookie and has no axe violations @smoke", async ({
  page,
}, testInfo) => {
  await page.goto("/privacy/cookies");
  const table = page.getByRole("table");
  for (const c of COOKIE_REGISTRY)
    await expect(table.getByRole("rowheader", { name: c.name, exact: true })).toBeVisible();
  for (const name of ["Chrome", "Firefox", "Safari", "Edge"]) {
    await expect(page.getByRole("term").filter({ hasText: name })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath("privacy-cookies-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/privacy/cookies");
  expect(await sidewaysOverflow(page)).toBe(0);
  await page.screenshot({ path: testInfo.outputPath("privacy-cookies-390.png"), fullPage: true });
});

test("cookies: no banner on the staff console; the admin's usage figures are labelled charts with tables, axe-clean", async ({
  browser,
}, testInfo) => {
  const context = await newContext(browser, { storageState: storageStateFor("admin") });
  const page = await context.newPage();
  await page.goto("/console");
  await expect(banner(page)).toHaveCount(0);
  await page.getByRole("link", { name: /Usage figures/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Usage figures");
  await expect(page.getByRole("img", { name: /Page views per day/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Campaign visits per day/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /Page views by page/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /Visits by campaign/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath("usage-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await sidewaysOverflow(page)).toBe(0);
  await page.screenshot({ path: testInfo.outputPath("usage-390.png"), fullPage: true });
  await context.close();
  // Customers are refused.
  const customer = await newContext(browser, { storageState: storageStateFor("customer") });
  const res = await (await customer.newPage()).goto("/console/admin/usage");
  expect(res?.status()).toBe(403);
  await customer.close();
});

test("cookies: every cookie the app sets on a broad journey is in the registry", async ({ browser }) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const seen = new Set<string>();
  const collect = async () => {
    for (const c of await context.cookies()) seen.add(c.name);
  };
  // Every Set-Cookie the server sends, including ones deleted again before the journey ends.
  page.on("response", async (res) => {
    for (const h of await res.headersArray()) {
      if (h.name.toLowerCase() === "set-cookie")
        for (const line of h.value.split("\n")) seen.add(line.split("=")[0].trim());
    }
  });
  await page.goto("/");
  await banner(page).getByRole("button", { name: "Accept all" }).click();
  await expect(banner(page)).toHaveCount(0);
  // A visitor's chat (the visitor cookie), then Contact Us.
  await testDb().query(
    `with r as (
       insert into users (role, username, email, first_name, last_name)
       values ('rep', 'e2e_cookies_desk', 'e2e_cookies_desk@example.test', 'Cookie', 'Desk')
       on conflict (lower(username)) do update set role = 'rep'
       returning id
     )
     insert into chat_presence (staff_id, away, last_seen_at) select id, false, now() from r
     on conflict (staff_id) do update set away = false, last_seen_at = now()`,
  );
  await page.getByRole("button", { name: "Need Help", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Chat with customer service" });
  await dialog.getByLabel("Your name").fill("Cookie Visitor");
  await dialog.getByLabel("E-mail address").fill(`cookies-${randomSuffix()}@example.com`);
  await dialog.getByLabel("Your question").fill("Which cookies do you set?");
  await dialog.getByRole("button", { name: "Start chat" }).click();
  await expect(dialog.getByRole("listitem").filter({ hasText: "Which cookies do you set?" })).toBeVisible();
  await collect();
  expect(seen.has("__Host-myaccount-chat")).toBe(true);
  await page.goto("/contact");
  const contact = page.getByRole("form", { name: "Send us a message" });
  await contact.getByLabel("Your name").fill("Cookie Visitor");
  await contact.getByLabel("E-mail address").fill(`cookies-${randomSuffix()}@example.com`);
  await contact.getByLabel("Topic").selectOption("Billing");
  await contact.getByLabel("Message").fill("A question about cookies.");
  await contact.getByRole("button", { name: "Send message" }).click();
  await collect();
  // Sign in remembering the username, edit the profile, the privacy pages, sign out.
  await signIn(page, "demo", DEMO_PASSWORD, { remember: true });
  await page.goto("/account/profile");
  await page.goto("/account/security");
  await page.goto("/privacy/cookies");
  await collect();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await collect();
  expect(seen.has(REMEMBER)).toBe(true);
  const unknown = [...seen].filter((n) => !registered.has(n));
  expect(unknown, "cookies set by the app but missing from lib/cookies/registry.ts").toEqual([]);
  await context.close();
});
