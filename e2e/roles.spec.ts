import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { capabilities, routeAccess, type Capability } from "@/lib/auth/capabilities";
import { AUTH_SECRET } from "./support/app-server";
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

/**
 * Sessions that must get exactly what nobody gets: password done but the second step owed (each
 * demo role), a staff member owing enrolment, and a full staff session on an account without a
 * factor. Each is a real session row with a real Auth.js cookie naming it.
 */
const partlySignedIn = ["customer", "rep", "marketing", "admin"].map((role) => `${role}, second step owed`);
const SESSION_COOKIE = "__Secure-authjs.session-token";

async function cookieFor(sessionId: string): Promise<string> {
  const token = await encode({ token: { sid: sessionId }, secret: AUTH_SECRET, salt: SESSION_COOKIE, maxAge: 3600 });
  return `${SESSION_COOKIE}=${token}`;
}
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
  const unsignedContexts = new Map<string, APIRequestContext>();
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
    const session = async (username: string, stage: string) => {
      const row = await db.query<{ id: string }>(
        `insert into sessions (user_id, stage, expires_at)
         select id, $2, now() + interval '1 hour' from users where username = $1 returning id`,
        [username, stage],
      );
      return row.rows[0].id;
    };
    const bare = await db.query<{ username: string }>(
      `insert into users (role, username, first_name, last_name, password_hash)
       values ('rep', 'role_walk_' || substr(md5(random()::text), 1, 10), 'No', 'Factor', null) returning username`,
    );
    const sessionIds: Record<string, string> = {
      "rep, enrolment owed": await session("rep", "enrol"),
      "rep without a factor": await session(bare.rows[0].username, "full"),
    };
    for (const [i, role] of ["demo", "rep", "marketing", "admin"].entries())
      sessionIds[partlySignedIn[i]] = await session(role, "second_step");
    for (const [label, id] of Object.entries(sessionIds)) {
      unsignedContexts.set(
        label,
        await request.newContext({
          baseURL: e2e.baseURL,
          ignoreHTTPSErrors: true,
          extraHTTPHeaders: { cookie: await cookieFor(id) },
          maxRedirects: 0,
        }),
      );
    }
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
    for (const ctx of [...contexts.values(), ...unsignedContexts.values()]) await ctx.dispose();
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
          else check(kind, want, status, location, `${method} ${url} as ${who}`);
        }
        // Partly signed in, or staff without a factor: exactly what nobody gets.
        for (const [who, ctx] of unsignedContexts) {
          const res =
            method === "GET"
              ? await ctx.get(url)
              : await ctx.fetch(url, {
                  method,
                  data: {},
                  headers: { origin: e2e.baseURL, "content-type": "application/json" },
                });
          const status = res.status();
          const location = res.headers()["location"] ?? "";
          if (status >= 500) wrong.push(`${method} ${url} as ${who}: ${status}`);
          else check(kind, allowedFor(capability, null), status, location, `${method} ${url} as ${who}`);
        }
      }
      expect(wrong).toEqual([]);

      function check(
        kind: "page" | "route",
        want: ReturnType<typeof allowedFor>,
        status: number,
        location: string,
        label: string,
      ) {
        if (want === "signedOut") {
          const ok = kind === "page" ? status >= 300 && status < 400 && location.includes("/login") : status === 401;
          if (!ok) wrong.push(`${label}: ${status} ${location}, expected the sign-in`);
        } else if (want === "forbidden") {
          if (status !== 403) wrong.push(`${label}: ${status}, expected 403`);
        } else if (want === "allowed") {
          const ok = kind === "page" ? status === 200 : status !== 401 && status !== 403;
          if (!ok) wrong.push(`${label}: ${status} ${location}, expected to be let in`);
        }
      }
    });
  }
});
