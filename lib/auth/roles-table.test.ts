import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import type { Role } from "@/db/schema";
import { capabilityOfAction, invokeRegisteredAction } from "@/lib/actions/registry";
import type { ActionResult } from "@/lib/actions/result";
import type * as CurrentModule from "@/lib/auth/current";
import type { ActiveSession } from "@/lib/auth/sessions";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/test/factories";
import { capabilities, routeAccess, type Capability } from "./capabilities";

/*
 * The role table (lib/auth/capabilities.ts) against the code: every page and route file has an
 * entry, every page checks the capability its entry names, and every server action — imported
 * from every "use server" module under app/ — is called by every role (and by nobody) and lets
 * in exactly the roles its capability lists. A refused call must write nothing. The pages and
 * route handlers are walked over HTTP, signed in as each role, by e2e/roles.spec.ts.
 */

// The door reads the session and the request from Next; here they come from the walk.
// With `sessionId` set, the session comes from the real lookup (lib/auth/sessions.ts), as a request's
// cookie would: that is how partly signed-in sessions and staff without a factor are walked.
const walk = vi.hoisted(() => ({ session: null as ActiveSession | null, sessionId: null as string | null }));
vi.mock("@/lib/auth/current", async (importOriginal) => ({
  ...(await importOriginal<typeof CurrentModule>()),
  currentSession: async () =>
    walk.sessionId ? (await import("@/lib/auth/sessions")).findActiveSession(walk.sessionId) : walk.session,
}));
vi.mock("@/lib/http/request-context", () => ({
  requestContext: async () => ({ proto: "https", clientIp: "203.0.113.9", userAgent: "roles-table-test" }),
}));
// An allowed action runs its handler: give it the Next request APIs it may touch.
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));
vi.mock("next/headers", () => {
  const jar = new Map<string, string>();
  return {
    cookies: async () => ({
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      set: (name: string | { name: string; value: string }, value?: string) =>
        typeof name === "string" ? jar.set(name, value ?? "") : jar.set(name.name, name.value),
      delete: (name: string) => jar.delete(name),
    }),
    headers: async () => new Headers({ host: "localhost", "user-agent": "roles-table-test" }),
  };
});

const root = path.resolve(import.meta.dirname, "../..");
const appDir = path.join(root, "app");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** app/console/customers/[id]/page.tsx → /console/customers/[id]; route groups "(x)" vanish. */
function routePattern(file: string): string {
  const dir = path.dirname(path.relative(appDir, file));
  const parts = dir === "." ? [] : dir.split(path.sep).filter((p) => !/^\(.*\)$/.test(p));
  return `/${parts.join("/")}`;
}

// `*.bench.tsx` pages and the module only they import are routes only in the bench's own build
// (next.config.mjs); they are never served by `npm start`.
const benchOnly = (file: string) => file.includes(`${path.sep}bench-floor${path.sep}`);

const appFiles = filesUnder(appDir).filter((f) => !benchOnly(f));
const pageFiles = appFiles.filter((f) => /[\\/](page\.tsx|route\.ts)$/.test(f));
const serverActionFiles = appFiles.filter(
  (f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")),
);

const everyRole: (Role | null)[] = [null, "customer", "rep", "marketing", "admin"];

/** What the table says a caller in `role` gets from an action of `capability`. */
function expected(capability: Capability, role: Role | null): "allowed" | "signedOut" | "forbidden" {
  const allowed = capabilities[capability] as readonly Role[] | "public";
  if (allowed === "public") return "allowed";
  if (!role) return "signedOut";
  return allowed.includes(role) ? "allowed" : "forbidden";
}

describe("the role table covers every route", () => {
  it("roles: every page and route handler has an entry, and every entry a file", () => {
    const onDisk = new Set(pageFiles.map(routePattern));
    const missing = [...onDisk].filter((p) => !(p in routeAccess));
    expect(missing, "routes without an entry in routeAccess (lib/auth/capabilities.ts)").toEqual([]);
    const stale = Object.keys(routeAccess).filter((p) => !onDisk.has(p));
    expect(stale, "routeAccess entries without a page.tsx or route.ts").toEqual([]);
  });

  it("roles: every page asks for the capability its entry names (and a public page asks for none)", () => {
    const wrong: string[] = [];
    for (const file of pageFiles.filter((f) => f.endsWith("page.tsx"))) {
      const capability = routeAccess[routePattern(file) as keyof typeof routeAccess] as Capability | undefined;
      if (!capability) continue;
      const source = readFileSync(file, "utf8");
      const asked = [...source.matchAll(/requirePageUser\(\s*"([^"]+)"/g)].map((m) => m[1]);
      const ok =
        capability === "public" ? asked.length === 0 : asked.length > 0 && asked.every((c) => c === capability);
      if (!ok)
        wrong.push(`${path.relative(root, file)}: table says ${capability}, page asks ${asked.join(", ") || "none"}`);
    }
    expect(wrong).toEqual([]);
  });

  it("roles: every route handler built on the door names its entry's capability", () => {
    const wrong: string[] = [];
    for (const file of pageFiles.filter((f) => f.endsWith("route.ts"))) {
      const capability = routeAccess[routePattern(file) as keyof typeof routeAccess];
      const source = readFileSync(file, "utf8");
      const named = [...source.matchAll(/capability:\s*"([^"]+)"/g)].map((m) => m[1]);
      if (named.some((c) => c !== capability)) wrong.push(`${path.relative(root, file)}: ${named.join(", ")}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("every server action, called by every role, does what the table says", () => {
  const sessions = new Map<Role, ActiveSession>();

  beforeAll(async () => {
    for (const role of ["customer", "rep", "marketing", "admin"] as const) {
      const user = await createUser({ role });
      const sessionId = await createSession(db, { userId: user.id, userAgent: "roles-table-test", ip: "203.0.113.9" });
      sessions.set(role, {
        sessionId,
        userId: user.id,
        role,
        firstName: "Test",
        lastName: "Person",
        username: user.username,
        timeZone: "UTC",
        reauthenticatedAt: new Date(),
        reauthenticatedBy: "password",
      });
    }
    // A write probe: a row trigger on every table counts the rows any statement changes, so "a
    // refused call wrote nothing" is a fact about the database, not about one table we thought of.
    await db.execute(sql`create table if not exists roles_walk_probe (n bigint not null)`);
    await db.execute(sql`delete from roles_walk_probe`);
    await db.execute(sql`insert into roles_walk_probe values (0)`);
    await db.execute(
      sql.raw(`create or replace function roles_walk_count() returns trigger language plpgsql as $$
        begin update roles_walk_probe set n = n + 1; return null; end $$`),
    );
    const tables = (await db.execute(
      sql`select tablename from pg_tables where schemaname = 'public' and tablename <> 'roles_walk_probe'`,
    )) as unknown as { rows: { tablename: string }[] };
    for (const { tablename } of tables.rows) {
      await db.execute(
        sql.raw(`create or replace trigger roles_walk_probe after insert or update or delete on "${tablename}"
          for each row execute function roles_walk_count()`),
      );
    }
  });

  afterAll(async () => {
    // On Postgres the test files share one database: leave it as it was.
    const tables = (await db.execute(
      sql`select tablename from pg_tables where schemaname = 'public' and tablename <> 'roles_walk_probe'`,
    )) as unknown as { rows: { tablename: string }[] };
    for (const { tablename } of tables.rows) {
      await db.execute(sql.raw(`drop trigger if exists roles_walk_probe on "${tablename}"`));
    }
    await db.execute(sql`drop function if exists roles_walk_count() cascade`);
    await db.execute(sql`drop table if exists roles_walk_probe`);
  });

  async function writes(): Promise<number> {
    const result = (await db.execute(sql`select n from roles_walk_probe`)) as unknown as { rows: { n: string }[] };
    return Number(result.rows[0].n);
  }

  it('roles: every export of a "use server" module is a door-built action with an entry', async () => {
    expect(serverActionFiles.length).toBeGreaterThan(10);
    const unregistered: string[] = [];
    for (const file of serverActionFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (!capabilityOfAction(value)) unregistered.push(`${path.relative(root, file)} → ${name}`);
      }
    }
    expect(unregistered, "exports not built with secureAction (so not held to the role table)").toEqual([]);
  });

  it("roles: each action lets in exactly the roles of its capability; a refusal writes nothing", async () => {
    const mismatches: string[] = [];
    let walked = 0;
    for (const file of serverActionFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, action] of Object.entries(mod)) {
        const capability = capabilityOfAction(action);
        if (!capability || typeof action !== "function") continue;
        for (const role of everyRole) {
          walk.session = role ? sessions.get(role)! : null;
          const want = expected(capability, role);
          const before = await writes();
          let got: "allowed" | "signedOut" | "forbidden";
          try {
            const result = (await invokeRegisteredAction(action, {})) as ActionResult<unknown> | undefined;
            got =
              result && !result.ok && (result.code === "signedOut" || result.code === "forbidden")
                ? result.code
                : "allowed";
          } catch {
            // Next's redirect/notFound signals pass through the door only from inside a handler,
            // that is after the role check: the caller was let in.
            got = "allowed";
          }
          walked++;
          const label = `${path.relative(root, file)} → ${name} as ${role ?? "nobody"} (${capability})`;
          if (got !== want) mismatches.push(`${label}: expected ${want}, got ${got}`);
          if (want !== "allowed" && (await writes()) !== before) mismatches.push(`${label}: refused but wrote rows`);
        }
      }
    }
    walk.session = null;
    expect(mismatches).toEqual([]);
    expect(walked).toBeGreaterThan(50);
  });

  it("roles: a partly signed-in session, and staff without a second factor, are refused by every action", async () => {
    // Password done, second step owed (every role), staff enrolment owed, and a full staff session
    // whose account has no factor (an admin reset it, or it predates two-step).
    const cases: { label: string; sessionId: string }[] = [];
    for (const role of ["customer", "rep", "marketing", "admin"] as const) {
      const user = await createUser({ role });
      const ids = {
        second_step: await createSession(db, { userId: user.id, userAgent: "t", ip: "", stage: "second_step" }),
        enrol: await createSession(db, { userId: user.id, userAgent: "t", ip: "", stage: "enrol" }),
      };
      for (const [stage, sessionId] of Object.entries(ids)) cases.push({ label: `${role} (${stage})`, sessionId });
      if (role !== "customer") {
        const bare = await createUser({ role, twoStep: false });
        const sessionId = await createSession(db, { userId: bare.id, userAgent: "t", ip: "" });
        cases.push({ label: `${role} without a factor`, sessionId });
        // The same account with a factor is let in: the refusal is about the factor, not the session.
        const full = await createSession(db, { userId: user.id, userAgent: "t", ip: "" });
        expect(await findActiveSession(full)).toMatchObject({ userId: user.id, role });
      }
    }
    const mismatches: string[] = [];
    let walked = 0;
    for (const c of cases) {
      expect(await findActiveSession(c.sessionId), c.label).toBeNull();
      walk.sessionId = c.sessionId;
      for (const file of serverActionFiles) {
        const mod = (await import(file)) as Record<string, unknown>;
        for (const [name, action] of Object.entries(mod)) {
          const capability = capabilityOfAction(action);
          if (!capability || typeof action !== "function" || capabilities[capability] === "public") continue;
          const before = await writes();
          const result = (await invokeRegisteredAction(action, {})) as ActionResult<unknown> | undefined;
          walked++;
          const label = `${path.relative(root, file)} → ${name} as ${c.label}`;
          if (!result || result.ok || result.code !== "signedOut")
            mismatches.push(`${label}: not refused as signed out`);
          if ((await writes()) !== before) mismatches.push(`${label}: refused but wrote rows`);
        }
      }
    }
    walk.sessionId = null;
    expect(mismatches).toEqual([]);
    expect(walked).toBeGreaterThan(100);
  });
});
