import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { capabilities, routeAccess, type Capability } from "@/lib/auth/capabilities";
import { e2e } from "../support/config";
import { createCustomer, testDb, type TestCustomer } from "../support/users";
import {
  callAction,
  changedTables,
  manifestActions,
  marker,
  raw,
  refusalOf,
  rowsMentioning,
  sessionFor,
  snapshot,
  type ManifestAction,
} from "./support";

/*
 * Every server action in the build's manifest and every route handler under app/, called with no
 * session, with a live session of a role the table does not let in, and with a revoked session of
 * a role it does: each is refused, and not one row of the victim's, the caller's or the staff
 * tables changes. The input is a real change aimed at another customer, so a door that let it
 * through would write.
 */

test.skip(e2e.db !== "postgres", "checks the run's Postgres database directly");

type Role = "customer" | "rep" | "marketing" | "admin";
const roles: Role[] = ["customer", "rep", "marketing", "admin"];

function rolesOf(capability: Capability): Role[] | "public" {
  const allowed = capabilities[capability] as readonly string[] | "public";
  return allowed === "public" ? "public" : roles.filter((r) => allowed.includes(r));
}

/** Which callers each non-public capability is tried with: nobody, an outsider role, a revoked insider. */
function callersFor(capability: Capability): { label: string; role: Role | null; revoked: boolean }[] {
  const allowed = rolesOf(capability);
  if (allowed === "public") return [];
  const outsider = roles.find((r) => !allowed.includes(r));
  return [
    { label: "no session", role: null, revoked: false },
    ...(outsider ? [{ label: `a live ${outsider} session`, role: outsider, revoked: false }] : []),
    { label: `a revoked ${allowed[0]} session`, role: allowed[0], revoked: true },
  ];
}

const appDir = path.resolve(import.meta.dirname, "..", "..", "app");
function routeFiles(dir = appDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "bench-floor" ? [] : routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}
const routes = routeFiles().map((file) => {
  const pattern = `/${path
    .relative(appDir, path.dirname(file))
    .split(path.sep)
    .filter((p) => !/^\(.*\)$/.test(p))
    .join("/")}`;
  const source = readFileSync(file, "utf8");
  const methods = [...source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
    (m) => m[1],
  );
  return { pattern, methods, capability: (routeAccess as Record<string, Capability>)[pattern] };
});

let victim: TestCustomer;
const cookies = new Map<string, string>();
const watched: string[] = [];

async function cookieOf(role: Role | null, revoked: boolean): Promise<string> {
  if (!role) return "";
  const key = `${role}:${revoked}`;
  if (!cookies.has(key)) {
    // Sessions of throwaway people of the role (never the victim's own, never the demo staff, whom
    // other specs use at the same time: their rows would change under the snapshot).
    const userId = (await createCustomer()).id;
    if (role !== "customer") {
      await testDb().query("update users set role = $2 where id = $1", [userId, role]);
      // Staff sessions count only with a second factor; a passkey row no authenticator holds.
      await testDb().query(
        "insert into passkeys (user_id, credential_id, public_key, name) values ($1, $2, 'unused', 'hostile suite')",
        [userId, `hostile-${userId}`],
      );
    }
    watched.push(userId);
    cookies.set(key, (await sessionFor(userId, { revoked })).cookie);
  }
  return cookies.get(key)!;
}

test.beforeAll(async () => {
  victim = await createCustomer();
  watched.push(victim.id);
});

/** What an action would be handed if its door opened: a change of the victim's data. */
function hostileInput(m: string): Record<string, unknown> {
  return {
    userId: victim.id,
    customerId: victim.id,
    role: "admin",
    version: "1",
    firstName: m,
    lastName: m,
    email: `${m}@example.test`,
    phone: "3035550100",
    line1: m,
    city: "Denver",
    state: "CO",
    zip: "80202",
    reason: `${m} reason`,
    message: m,
    name: m,
    username: m,
    sessionIds: "00000000-0000-4000-8000-000000000000",
    enabled: "on",
  };
}

test.describe("every server action, refused at the door", () => {
  const actions: ManifestAction[] = manifestActions();

  test("the manifest lists the app's actions (the walk is not empty)", () => {
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => a.capability !== "public").length).toBeGreaterThan(30);
  });

  for (const action of actions.filter((a) => a.capability !== "public")) {
    test(`action ${action.file} ${action.exportedName} (${action.capability})`, async () => {
      const bound = action.file.includes("/customers/[id]/") ? [victim.id] : undefined;
      const page = bound ? `/console/customers/${victim.id}` : action.page;
      const wrong: string[] = [];
      for (const caller of callersFor(action.capability)) {
        const cookie = await cookieOf(caller.role, caller.revoked);
        const before = await snapshot(watched);
        const m = marker();
        const reply = await callAction({ id: action.id, page, bound, input: hostileInput(m), cookie });
        const refusal = refusalOf(reply);
        const expected = caller.role && !caller.revoked ? ["forbidden"] : ["signedOut"];
        if (!expected.includes(refusal)) wrong.push(`${caller.label}: ${refusal}, expected ${expected.join("/")}`);
        const changed = changedTables(before, await snapshot(watched));
        if (changed.length) wrong.push(`${caller.label}: wrote ${changed.join(", ")}`);
        const mentioned = await rowsMentioning(m);
        if (mentioned.length) wrong.push(`${caller.label}: wrote its input into ${mentioned.join(", ")}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});

test.describe("every route handler, refused", () => {
  test("the walk finds the route handlers", () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) expect(r.capability, `${r.pattern} has no routeAccess entry`).toBeTruthy();
  });

  for (const route of routes.filter((r) => r.capability && r.capability !== "public")) {
    test(`route ${route.methods.join("/")} ${route.pattern} (${route.capability})`, async () => {
      const wrong: string[] = [];
      for (const method of route.methods) {
        for (const caller of callersFor(route.capability)) {
          const cookie = await cookieOf(caller.role, caller.revoked);
          const before = await snapshot(watched);
          const m = marker();
          const body = method === "GET" ? undefined : JSON.stringify(hostileInput(m));
          const query = method === "GET" ? `?customer=${victim.id}&userId=${victim.id}` : "";
          const reply = await raw({
            method,
            path: `${route.pattern}${query}`,
            headers: {
              origin: e2e.baseURL,
              "sec-fetch-site": "same-origin",
              ...(body ? { "content-type": "application/json" } : {}),
              ...(cookie ? { cookie } : {}),
            },
            body,
          });
          const want = caller.role && !caller.revoked ? 403 : 401;
          if (reply.status !== want) wrong.push(`${method} as ${caller.label}: ${reply.status}, expected ${want}`);
          const changed = changedTables(before, await snapshot(watched));
          if (changed.length) wrong.push(`${method} as ${caller.label}: wrote ${changed.join(", ")}`);
          const mentioned = await rowsMentioning(m);
          if (mentioned.length) wrong.push(`${method} as ${caller.label}: wrote into ${mentioned.join(", ")}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

test("a revoked session stays revoked: using it does not bring it back", async () => {
  const { sessionId, cookie } = await sessionFor(victim.id, { revoked: true });
  const res = await raw({ path: "/account", headers: { cookie } });
  expect([303, 307, 308]).toContain(res.status);
  expect(res.headers.location).toContain("/login");
  const { rows } = await testDb().query<{ revoked_at: Date | null }>("select revoked_at from sessions where id = $1", [
    sessionId,
  ]);
  expect(rows[0].revoked_at).not.toBeNull();
});
