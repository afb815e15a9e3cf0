import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { capabilities, routeAccess, type Capability } from "@/lib/auth/capabilities";
import { expectNoAxeViolations } from "./support/axe";
import { demoRoles, newContext, signIn, storageStateFor, type DemoRole } from "./support/auth";
import { createCustomer, testDb } from "./support/users";

/*
 * At a phone's width (390 px) no MyAccount or console page scrolls sideways: for the demo customer
 * and each staff role, every page of theirs in the role table (plus the pages that show a table
 * only with a query) is opened and the document is no wider than the viewport.
 */

const PHONE = { width: 390, height: 844 };
const appDir = path.resolve(import.meta.dirname, "..", "app");

const isPage = (pattern: string) => existsSync(path.join(appDir, ...pattern.split("/").filter(Boolean), "page.tsx"));

function allowed(capability: Capability, role: DemoRole): boolean {
  const roles = capabilities[capability] as readonly string[] | "public";
  return roles !== "public" && roles.includes(role);
}

/** The signed-in pages a role may open, from the role table, with samples for the dynamic ones. */
function pagesFor(role: DemoRole, samples: Record<string, string>): string[] {
  const paths = (Object.entries(routeAccess) as [string, Capability][])
    .filter(([p, c]) => /^\/(account|console)(\/|$)/.test(p) && isPage(p) && allowed(c, role))
    .map(([p]) => samples[p] ?? p);
  // Tables that appear only for a query: search results, a filtered list, an older page.
  const extra = [
    "/console/customers?q=demo",
    "/console/chats/closed?q=role",
    "/console/admin/audit?action=auth.sign_in",
    "/account/activity?page=2",
  ];
  return [...paths, ...extra.filter((u) => paths.includes(u.split("?")[0]))];
}

/** Opens each page and lists those wider than the viewport. */
async function tooWide(page: Page, urls: string[]): Promise<string[]> {
  const wide: string[] = [];
  for (const url of urls) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const { scrollWidth, innerWidth } = await widthOf(page);
    expect(innerWidth).toBe(PHONE.width);
    if (scrollWidth > innerWidth) wide.push(`${url}: ${scrollWidth} px wide`);
    // Stacked tables are still tables to a screen reader: axe checks them as a phone shows them.
    if ((await page.locator("table").count()) > 0) await expectNoAxeViolations(page);
  }
  return wide;
}

async function widthOf(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

const samples: Record<string, string> = {};

test.beforeAll(async () => {
  const db = testDb();
  const demo = await db.query<{ id: string }>("select id from users where username = 'demo'");
  const chat = await db.query<{ id: number }>(
    `insert into chat_conversations (visitor_name, visitor_email, topic, status, closed_by, close_reason, closed_at)
     values ('Mobile Layout', 'mobile-layout@example.test', 'Something else', 'closed', 'rep', 'role walk sample', now())
     returning id`,
  );
  samples["/console/customers/[id]"] = `/console/customers/${demo.rows[0].id}`;
  samples["/console/chats/closed/[id]"] = `/console/chats/closed/${chat.rows[0].id}`;
  samples["/console/marketing/list"] = "/console/marketing/list?topic=offers";
});

for (const role of Object.keys(demoRoles) as DemoRole[]) {
  test.describe(() => {
    test.use({ storageState: storageStateFor(role), viewport: PHONE });

    test(`mobile layout: as ${role}, no page scrolls sideways at 390 px`, async ({ page }) => {
      test.setTimeout(120_000);
      const urls = pagesFor(role, samples);
      expect(urls.length, "the role table names pages for this role").toBeGreaterThan(role === "customer" ? 3 : 1);
      expect(await tooWide(page, urls)).toEqual([]);
    });
  });
}

test("mobile layout: a customer with a long history (an IPv6 address, a rep's reason, e-mail choices) at 390 px", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const user = await createCustomer();
  const db = testDb();
  // What a year of use leaves on Account activity: the long words are the ones that cannot wrap.
  await db.query(
    `insert into audit_events (actor_id, subject_user_id, action, detail, ip, created_at) values
       ($1, $1, 'auth.sign_in', '{}', '2001:db8:85a3::8a2e:370:7334', now() - interval '3 days'),
       ($1, $1, 'email.change_requested', jsonb_build_object('newEmail', 'd•••y@example-long-domain.test'), '198.51.100.23', now() - interval '2 days'),
       ((select id from users where username = 'rep'), $1, 'staff.customer_viewed',
        '{"accessReasonText": "Customer called about a billing question and asked to update the service address"}', '203.0.113.9', now() - interval '1 day')`,
    [user.id],
  );
  await db.query(
    `insert into consent_events (user_id, topic_id, action, source, wording, wording_version, policy_version, ip, created_at)
     select $1, 'offers', a::consent_action, s::consent_source, 'I would like to receive special offers', 1,
            coalesce((select version from policy_versions where status = 'published' order by version desc limit 1), '2005-01-01'),
            '198.51.100.23', now() - interval '1 hour'
     from (values ('granted', 'register'), ('withdrawn', 'one-click')) as v(a, s)`,
    [user.id],
  );
  const context = await newContext(browser, { viewport: PHONE });
  try {
    const page = await context.newPage();
    await signIn(page, user.username, user.password);
    const urls = pagesFor("customer", samples);
    expect(await tooWide(page, urls)).toEqual([]);
  } finally {
    await context.close();
  }
});
