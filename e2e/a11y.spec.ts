import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor, type DemoRole } from "./support/auth";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Every page, as the visitor who can see it; `status` is what the server must answer. */
const pages: { name: string; path: string; as?: DemoRole; status?: number; heading: string | RegExp }[] = [
  { name: "home", path: "/", heading: "MyAccount" },
  { name: "sign-in", path: "/login", heading: "Sign in to MyAccount" },
  { name: "register", path: "/register", heading: "Register for MyAccount" },
  { name: "forgot password", path: "/forgot-password", heading: "Forgot your password?" },
  { name: "reset password", path: "/reset-password?token=x", heading: "Choose a new password" },
  { name: "MyAccount home", path: "/account", as: "customer", heading: "Welcome, Dana" },
  { name: "sign-in and security", path: "/account/security", as: "customer", heading: "Sign-in and security" },
  { name: "account activity", path: "/account/activity", as: "customer", heading: "Account activity" },
  { name: "staff console", path: "/console", as: "rep", heading: "Staff console" },
  // The home shows each role its own blocks: the admin sees them all, marketing its lists only.
  { name: "staff console (admin)", path: "/console", as: "admin", heading: "Staff console" },
  { name: "staff console (marketing)", path: "/console", as: "marketing", heading: "Staff console" },
  // Pages with data tables (components/ui/StackedTable.tsx); e2e/mobile-layout.spec.ts scans them at 390 px.
  { name: "customer search results", path: "/console/customers?q=demo", as: "rep", heading: "Find a customer" },
  { name: "audit log", path: "/console/admin/audit", as: "admin", heading: "Audit log" },
  { name: "staff accounts", path: "/console/admin/staff", as: "admin", heading: "Staff accounts" },
  { name: "usage figures", path: "/console/admin/usage", as: "admin", heading: "Usage figures" },
  { name: "opt-in lists", path: "/console/marketing", as: "marketing", heading: "Opt-in lists" },
  {
    name: "opt-in list",
    path: "/console/marketing/list?topic=offers",
    as: "marketing",
    heading: "Opted in to Special offers",
  },
  { name: "privacy policy", path: "/privacy", heading: "Online Privacy Policy" },
  { name: "contact us", path: "/contact", heading: "Contact Us" },
  { name: "local mailbox", path: "/dev/mailbox", heading: "Local mailbox" },
  { name: "403 page", path: "/console", as: "customer", status: 403, heading: "You don't have access to this page" },
  { name: "404 page", path: "/no-such-page", status: 404, heading: "We can't find that page" },
];

function formatViolations(violations: Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"]) {
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
  );
}

async function scan(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(formatViolations(results.violations)).toEqual([]);
  // A scan that checked nothing would pass too: make sure rules actually ran against the page.
  expect(results.passes.length).toBeGreaterThan(5);
}

for (const p of pages) {
  test.describe(() => {
    if (p.as) test.use({ storageState: storageStateFor(p.as) });

    test(`a11y: ${p.name} (${p.path}) has no WCAG 2.2 AA violations`, async ({ page }) => {
      const res = await page.goto(p.path);
      expect(res?.status()).toBe(p.status ?? 200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(p.heading);
      await scan(page);
    });
  });
}

test("a11y: sign-in form with errors shown has no WCAG 2.2 AA violations", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username or account number").fill("nobody-by-this-name");
  await page.getByLabel("Password", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#login-message")).toHaveText("The username or password is incorrect");
  await scan(page);
});
