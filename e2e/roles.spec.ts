import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { capabilities, routeAccess, type Capability } from "@/lib/auth/capabilities";
import { e2e } from "./support/config";
import { demoRoles, storageStateFor, type DemoRole } from "./support/auth";
import { testDb } from "./support/users";

/*
 * The role table walked over HTTP: every page and route handler in `routeAccess`, requested by
 * nobody and by each demo role, answers as the table says — a page: sign-in redirect for nobody,
 * the 403 page for a role without the capability, 200 for one with it; a route handler: 401 /
 * 403 / anything but those. Its server actions are walked by lib/auth/roles-table.test.ts, which
 * also fails when a route file has no entry here.
 */

type Caller = DemoRole | null;
const callers: Caller[] = [null, ...(Object.keys(demoRoles) as DemoRole[])];
const roleOf: Record<DemoRole, string> = { customer: "customer", rep: "rep", marketing: "marketing", admin: "admin" };

function allowedFor(capability: Capability, caller: Caller): "public" | "allowed" | "signedOut" | "forbidden" {
  const roles = capabilities[capability] as readonly string[] | "public";
  if (roles === "public") return "public";
  if (!caller) return "signedOut";
  return roles.includes(roleOf[caller]) ? "allowed" : "forbidden";
}

const appDir = path.resolve(import.meta.dirname, "..", "app");

/** The file behind a pattern and the methods it answers: a page is GET; a route says so. */
function methodsOf(pattern: string): { kind: "page" | "route"; methods: string[] } {
  const dir = path.join(appDir, ...pattern.split("/").filter(Boolean));
  if (existsSync(path.join(dir, "page.tsx"))) return { kind: "page", methods: ["GET"] };
  const source = readFileSync(path.join(dir, "route.ts"), "utf8");
  const methods = [...source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
    (m) => m[1],
  );
  return { kind: "route", methods };
}

test.describe("the role table, over HTTP", () => {
  test.skip(e2e.db !== "postgres", "reads sample ids from the run's Postgres database");

  const contexts = new Map<Caller, APIRequestContext>();
  const samples: Record<string, string> = {};

  test.beforeAll(async () => {
    for (const caller of callers) {
      contexts.set(
        caller,
        await request.newContext({
          baseURL: e2e.baseURL,
          ignoreHTTPSErrors: true,
          storageState: caller ? storageStateFor(caller) : undefined,
          maxRedirects: 0,
        }),
      );
    }
    const db = testDb();
    const demo = await db.query<{ id: string }>("select id from users where username = 'demo'");
    const version = await db.query<{ version: number }>(
      "select version from policy_versions where status = 'published' order by version limit 1",
    );
    // A closed visitor chat of the walk's own, so the transcript page has one to show.
    const chat = await db.query<{ id: number }>(
      `insert into chat_conversations (visitor_name, visitor_email, topic, status, closed_by, close_reason, closed_at)
       values ('Role Walk', 'role-walk@example.test', 'Something else', 'closed', 'rep', 'role walk sample', now())
       returning id`,
    );
    // A dynamic segment is filled with a real row where the page shows one (so "allowed" means the
    // page renders), and with a harmless unknown value where any value exercises the check.
    samples["/console/customers/[id]"] = `/console/customers/${demo.rows[0].id}`;
    samples["/privacy/versions/[version]"] = `/privacy/versions/${version.rows[0]?.version ?? 1}`;
    samples["/privacy/versions/[version]/changes"] = `/privacy/versions/${version.rows[0]?.version ?? 1}/changes`;
    samples["/console/chats/closed/[id]"] = `/console/chats/closed/${chat.rows[0].id}`;
    samples["/u/[token]"] = "/u/not-a-real-token";
    samples["/unsubscribe/[token]"] = "/unsubscribe/not-a-real-token";
    // Pages that show one thing named in the query string.
    samples["/console/marketing/list"] = "/console/marketing/list?topic=offers";
  });

  test.afterAll(async () => {
    for (const ctx of contexts.values()) await ctx.dispose();
  });

  for (const [pattern, capability] of Object.entries(routeAccess) as [string, Capability][]) {
    test(`roles: ${pattern} (${capability}) answers each role as the table says`, async () => {
      const { kind, methods } = methodsOf(pattern);
      expect(methods.length, `${pattern} answers no method`).toBeGreaterThan(0);
      const url = samples[pattern] ?? (pattern.includes("[") ? undefined : pattern);
      expect(url, `no sample URL for the dynamic route ${pattern}`).toBeTruthy();
      const wrong: string[] = [];
      for (const method of methods) {
        for (const caller of callers) {
          const ctx = contexts.get(caller)!;
          const res =
            method === "GET"
              ? await ctx.get(url)
              : await ctx.fetch(url, {
                  method,
                  data: {},
                  headers: { origin: e2e.baseURL, "content-type": "application/json" },
                });
          const status = res.status();
          const want = allowedFor(capability, caller);
          const who = caller ?? "nobody";
          const location = res.headers()["location"] ?? "";
          if (status >= 500) wrong.push(`${method} ${url} as ${who}: ${status}`);
          else if (want === "signedOut") {
            const ok = kind === "page" ? status >= 300 && status < 400 && location.includes("/login") : status === 401;
            if (!ok) wrong.push(`${method} ${url} as ${who}: ${status} ${location}, expected the sign-in`);
          } else if (want === "forbidden") {
            if (status !== 403) wrong.push(`${method} ${url} as ${who}: ${status}, expected 403`);
          } else if (want === "allowed") {
            const ok = kind === "page" ? status === 200 : status !== 401 && status !== 403;
            if (!ok) wrong.push(`${method} ${url} as ${who}: ${status} ${location}, expected to be let in`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
