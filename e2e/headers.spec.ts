import { expect, test } from "@playwright/test";

test("headers: a page carries HSTS, a nonce CSP and the other security headers @smoke", async ({ request }) => {
  const res = await request.get("/login");
  expect(res.status()).toBe(200);
  const h = res.headers();

  expect(h["strict-transport-security"]).toMatch(/(^|;\s*)max-age=31536000(;|$)/);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["permissions-policy"]).toContain("geolocation=()");

  const csp = h["content-security-policy"];
  const directives = new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  expect(directives.get("object-src")).toEqual(["'none'"]);
  expect(directives.get("base-uri")).toEqual(["'none'"]);
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  const scriptSrc = directives.get("script-src") ?? [];
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);

  // The page's scripts carry this response's nonce, and the next response gets a new one.
  const html = await res.text();
  expect(html).toContain(`nonce="${nonce}"`);
  const again = await request.get("/login");
  expect(again.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
});

test("headers: the page loads without CSP violations @smoke", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto("/login");
  // Hydrated: the client-side form validation runs, so the nonce'd scripts executed.
  await page.getByLabel("Username or account number").focus();
  await page.getByLabel("Password", { exact: true }).focus();
  await expect(page.getByText("Enter your username or account number")).toBeVisible();
  expect(violations).toEqual([]);
});
