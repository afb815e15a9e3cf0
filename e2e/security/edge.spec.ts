import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../support/auth";
import { e2e } from "../support/config";
import {
  actionId,
  browserHeaders,
  changedTables,
  flightRow,
  origin,
  raw,
  snapshot,
  userIdOf,
  type Reply,
} from "./support";

/*
 * What needs no row of the database to prove (so the PGlite smoke run has it too): headers from
 * Next.js advisories that once skipped middleware or poisoned the cache, the CSP against an inline
 * script, and malformed requests answered 4xx rather than 500. On Postgres each also shows the
 * demo customer's rows unchanged.
 */

function demoCookie(): string {
  const state = JSON.parse(readFileSync(storageStateFor("customer"), "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies
    .filter((c) => c.name.includes("authjs"))
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
}

/** The demo customer's rows (Postgres only: on PGlite the database lives in the server). */
async function demoRows() {
  return e2e.db === "postgres" ? snapshot([await userIdOf("demo")]) : {};
}

// CVE-2025-29927 (x-middleware-subrequest, incl. the recursion-depth form and Next 16's proxy
// name), CVE-2024-46982 (x-now-route-matches / __nextDataReq cache poisoning), and the internal
// headers Next has used to mark prefetches, data and invoke requests.
const bypassHeaders: Record<string, string>[] = [
  { "x-middleware-subrequest": "middleware" },
  { "x-middleware-subrequest": "src/middleware" },
  { "x-middleware-subrequest": "pages/_middleware" },
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" },
  { "x-middleware-prefetch": "1" },
  { "x-now-route-matches": "1" },
  { "x-nextjs-data": "1" },
  { "x-middleware-invoke": "1", "x-invoke-path": "/account", "x-invoke-query": "{}" },
  { rsc: "1", "next-router-prefetch": "1" },
  { purpose: "prefetch", "x-purpose": "preview" },
];
const privatePages = ["/account", "/account/profile", "/console", "/console/admin/audit"];
/** Words only a signed-in person's page shows (the demo customer's name, the console's heading). */
const privateWords = /Welcome, Dana|What would you like to do|Staff console|Signed in as|Audit log/;

const cc = (r: Reply) => String(r.headers["cache-control"] ?? "");
/** Whether a shared cache (CDN, proxy) could store this answer and hand it to someone else. */
function sharedCacheable(r: Reply): boolean {
  const v = cc(r);
  return /\bpublic\b|s-maxage=[1-9]/.test(v) || (/max-age=[1-9]/.test(v) && !/private|no-store/.test(v));
}

/** A GET that follows Next's own redirect to the same path with an `_rsc` cache-buster (same headers). */
async function followRsc(urlPath: string, headers: Record<string, string>): Promise<Reply> {
  const first = await raw({ path: urlPath, headers });
  const location = String(first.headers.location ?? "");
  if (first.status >= 300 && first.status < 400 && location.includes("_rsc=")) {
    const next = new URL(location, origin);
    return raw({ path: next.pathname + next.search, headers });
  }
  return first;
}

test.describe("proxy-bypass headers", () => {
  for (const headers of bypassHeaders) {
    const label = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
    test(`bypass: ${label} neither skips the sign-in nor makes a private page cacheable @smoke`, async () => {
      const before = await demoRows();
      const wrong: string[] = [];
      for (const page of privatePages) {
        for (const query of ["", "?__nextDataReq=1"]) {
          const anon = await followRsc(page + query, headers);
          const location = String(anon.headers.location ?? "");
          const toSignIn = anon.status >= 300 && anon.status < 400 && location.includes("/login");
          // An empty prefetch answer is no bypass; a page's signed-in words would be.
          if (!toSignIn && (anon.status >= 500 || privateWords.test(anon.body)))
            wrong.push(`${page}${query} with no session: ${anon.status} ${location} ${anon.body.slice(0, 80)}`);
          if (!toSignIn && sharedCacheable(anon)) wrong.push(`${page}${query} with no session: cacheable ${cc(anon)}`);
        }
      }
      // Signed in: the private page is never stored by a shared cache, whatever the headers say.
      const mine = await followRsc("/account", { ...headers, cookie: demoCookie() });
      if (mine.status === 200 && !/no-store|private/.test(cc(mine))) wrong.push(`/account signed in: "${cc(mine)}"`);
      if (sharedCacheable(mine)) wrong.push(`/account signed in: cacheable "${cc(mine)}"`);
      // …and the next visitor without a cookie is not served it.
      const after = await followRsc("/account", headers);
      if (privateWords.test(after.body)) wrong.push(`/account after a signed-in fetch, with no session: served it`);
      expect(wrong).toEqual([]);
      expect(changedTables(before, await demoRows())).toEqual([]);
    });
  }
});

test.describe("content security policy", () => {
  test("csp: script-src has a nonce and no 'unsafe-inline' on every kind of page @smoke", async () => {
    for (const page of ["/login", "/register", "/contact", "/privacy"]) {
      const res = await raw({ path: page });
      const csp = String(res.headers["content-security-policy"] ?? "");
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      expect(scriptSrc, page).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(scriptSrc, page).not.toContain("'unsafe-inline'");
      expect(scriptSrc, page).not.toContain("'unsafe-eval'");
      expect(csp, page).toMatch(/object-src 'none'/);
      expect(csp, page).toMatch(/base-uri 'none'/);
    }
  });

  test("csp: an inline script smuggled into a real page does not run @smoke", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    // The real page, with its real CSP header, plus the two ways stored text could turn into a
    // script: a bare <script> and an event handler attribute.
    await page.route("**/login", async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(
        "<body",
        `<body data-x="1"><script>window.__pwned = "inline"</script><img src="x:" onerror="window.__pwned = 'onerror'"`,
      );
      await route.fulfill({ response: res, body: html });
    });
    await page.goto("/login");
    await expect(page.getByLabel("Username or account number")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(violations.length).toBeGreaterThan(0);
  });
});

test.describe("malformed requests answer 4xx, never 500", () => {
  const signIn = () => actionId("app/login/actions.ts", "signInAction");

  const cases: {
    name: string;
    path?: string;
    headers: () => Record<string, string>;
    body: string;
    /** Parsed well enough to reach the door, which refuses it in words (200 with ok: false). */
    refusalInWords?: boolean;
  }[] = [
    {
      name: "a garbage action body",
      headers: () => ({ ...browserHeaders(), "next-action": signIn(), "content-type": "text/plain;charset=UTF-8" }),
      body: "}{ not json [",
    },
    {
      name: "an action body that is JSON but not an argument list",
      headers: () => ({ ...browserHeaders(), "next-action": signIn(), "content-type": "text/plain;charset=UTF-8" }),
      body: '{"identifier":"demo"}',
      refusalInWords: true,
    },
    {
      name: "a multipart action body with a broken boundary",
      headers: () => ({
        ...browserHeaders(),
        "next-action": signIn(),
        "content-type": "multipart/form-data; boundary=----x",
      }),
      body: '------y\r\nContent-Disposition: form-data; name="identifier"\r\n\r\ndemo\r\n',
    },
    {
      name: "a Next-Action id that no action has",
      headers: () => ({
        ...browserHeaders(),
        "next-action": "00".repeat(21),
        "content-type": "text/plain;charset=UTF-8",
      }),
      body: "[null,{}]",
    },
    {
      name: "a Next-Action id that is not hex",
      headers: () => ({
        ...browserHeaders(),
        "next-action": "../../etc/passwd",
        "content-type": "text/plain;charset=UTF-8",
      }),
      body: "[null,{}]",
    },
    {
      name: "a bad Origin syntax on an action",
      headers: () => ({
        ...browserHeaders(),
        origin: "https://[::1",
        "next-action": signIn(),
        "content-type": "text/plain;charset=UTF-8",
      }),
      body: '[null,{"identifier":"demo","password":"x"}]',
    },
    {
      name: "a bad Origin syntax on a route handler",
      path: "/api/chat/state",
      headers: () => ({ origin: "http://%zz", "sec-fetch-site": "same-origin", "content-type": "application/json" }),
      body: "{}",
    },
    {
      name: "a route handler given a JSON body that does not parse",
      path: "/api/chat/send",
      headers: () => ({ ...browserHeaders(), "content-type": "application/json" }),
      body: '{"conversationId": ',
    },
  ];

  for (const c of cases) {
    test(`malformed: ${c.name} answers 4xx @smoke`, async () => {
      const before = await demoRows();
      const res = await raw({ method: "POST", path: c.path ?? "/login", headers: c.headers(), body: c.body });
      if (c.refusalInWords && res.status === 200) expect(flightRow(res.body, "1")).toMatchObject({ ok: false });
      else expect(res.status, res.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status, res.body.slice(0, 200)).toBeLessThan(500);
      expect(changedTables(before, await demoRows())).toEqual([]);
    });
  }
});

test.describe("the HTTP port's redirect", () => {
  test("protocol: a forged Host on the HTTP port is not echoed into the redirect @smoke", async () => {
    const reply = await raw({ path: "/login", plain: true, headers: { host: "evil.example" } });
    expect(reply.status).toBe(308);
    expect(new URL(String(reply.headers.location)).hostname).not.toBe("evil.example");
  });

  test("protocol: a forged X-Forwarded-Host on the HTTP port is not echoed into the redirect @smoke", async () => {
    const reply = await raw({ path: "/login", plain: true, headers: { "x-forwarded-host": "evil.example" } });
    expect(reply.status).toBe(308);
    expect(new URL(String(reply.headers.location)).hostname).not.toBe("evil.example");
  });
});
