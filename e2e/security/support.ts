/**
 * The hostile suite's tools: raw HTTP(S) requests with every header under the test's control
 * (Host included), server actions called by id from the build's own manifest, sessions made
 * straight in the run's database (full, revoked, of any role), and a snapshot of every row that
 * belongs to a set of people, so each refusal can be shown to have written nothing.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { routeAccess, type Capability } from "@/lib/auth/capabilities";
import { AUTH_SECRET } from "../support/app-server";
import { e2e } from "../support/config";
import { testDb } from "../support/users";
import { flightRow } from "@/lib/test/flight";

export const SESSION_COOKIE = "__Secure-authjs.session-token";
export const origin = e2e.baseURL;
const root = path.resolve(import.meta.dirname, "..", "..");

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

export type RawRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Plain HTTP to the run's HTTP port instead of HTTPS. */
  plain?: boolean;
  timeoutMs?: number;
  /** Reuse one kept-alive connection (timing measurements: no TLS handshake in the figure). */
  keepAlive?: boolean;
};

const keptAlive = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });

/**
 * One request with exactly the given headers (Node adds Host only when none is given, and never
 * an Origin or Sec-Fetch-*), so forged Host and missing Origin are what the server really sees.
 */
export function raw({
  method = "GET",
  path: urlPath,
  headers = {},
  body,
  plain,
  timeoutMs = 15_000,
  keepAlive,
}: RawRequest) {
  return new Promise<Reply>((resolve, reject) => {
    const started = performance.now();
    const lib = plain ? http : https;
    const req = lib.request(
      {
        host: "127.0.0.1",
        port: plain ? e2e.httpPort : e2e.port,
        method,
        path: urlPath,
        servername: "localhost",
        rejectUnauthorized: false,
        agent: keepAlive && !plain ? keptAlive : false,
        headers: {
          host: `localhost:${plain ? e2e.httpPort : e2e.port}`,
          ...headers,
          ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Server actions, from the build's manifest

export type ManifestAction = {
  id: string;
  file: string;
  exportedName: string;
  /** A page that carries the action (where the browser would POST it). */
  page: string;
  /** The capability of the route its file lives under ("session.signOut" for the shared sign-out). */
  capability: Capability;
};

type Manifest = {
  node: Record<string, { filename?: string; exportedName?: string; workers?: Record<string, unknown> }>;
};

function distDir(): string {
  return path.join(root, process.env.NEXT_DIST_DIR ?? ".next");
}

/** app/console/customers/[id]/actions.ts → "/console/customers/[id]" (route groups vanish). */
function routeOfFile(file: string): string {
  const dir = path.dirname(file.replace(/^app\//, ""));
  return `/${
    dir === "."
      ? ""
      : dir
          .split("/")
          .filter((p) => !/^\(.*\)$/.test(p))
          .join("/")
  }`;
}

/** A worker key "app/console/customers/[id]/page" → a URL that page answers on. */
function pageUrl(worker: string, samples: Record<string, string>): string {
  const pattern = `/${worker.replace(/^app\//, "").replace(/\/?page$/, "")}`.replace(/\/\(.*?\)/g, "") || "/";
  return samples[pattern] ?? pattern.replace(/\[[^\]]+\]/g, "not-a-real-id");
}

const sources = new Map<string, string>();

/**
 * The capability an action's source names: `capability: "…"` in its own options, or in the
 * `const door = { capability: … }` it spreads. Undefined when it is built elsewhere (the console's
 * on-behalf door): then the route's entry stands for it.
 */
function declaredCapability(file: string, exportedName: string): Capability | undefined {
  let source = sources.get(file);
  if (source === undefined) {
    source = readFileSync(path.join(root, file), "utf8");
    sources.set(file, source);
  }
  const start = source.search(new RegExp(`export (const|async function) ${exportedName}\\b`));
  if (start < 0) return undefined;
  const next = source.slice(start + 1).search(/\nexport /);
  const body = source.slice(start, next < 0 ? undefined : start + 1 + next);
  const literal = body.match(/capability:\s*"([^"]+)"/);
  if (literal) return literal[1] as Capability;
  const spread = body.match(/\{\s*\.\.\.(\w+)/);
  const door = spread && source.match(new RegExp(`const ${spread[1]} = \\{[^}]*capability:\\s*"([^"]+)"`));
  return door ? (door[1] as Capability) : undefined;
}

/**
 * Every server action the production build knows (its server-reference-manifest), not a hand
 * list: a new action is walked the day it is built. Bench-only actions are not in `npm start`'s
 * routes and are left out.
 */
export function manifestActions(samples: Record<string, string> = {}): ManifestAction[] {
  const manifest = JSON.parse(
    readFileSync(path.join(distDir(), "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  const out: ManifestAction[] = [];
  for (const [id, entry] of Object.entries(manifest.node)) {
    const file = entry.filename ?? "";
    if (!file || file.includes("bench-floor")) continue;
    const workers = Object.keys(entry.workers ?? {}).filter(
      (w) => w.endsWith("/page") && !w.includes("bench-floor") && !w.includes("_not-found"),
    );
    if (workers.length === 0) continue;
    const route = routeOfFile(file);
    const capability =
      declaredCapability(file, entry.exportedName ?? "") ??
      (routeAccess as Record<string, Capability>)[route] ??
      "account.own";
    // The page the action's own directory serves, if it carries the action; else any that does.
    const own = workers.find((w) => `/${w.replace(/^app\//, "").replace(/\/?page$/, "")}` === route);
    out.push({
      id,
      file,
      exportedName: entry.exportedName ?? "?",
      page: pageUrl(own ?? workers[0], samples),
      capability,
    });
  }
  return out.sort((a, b) => `${a.file}${a.exportedName}`.localeCompare(`${b.file}${b.exportedName}`));
}

export function actionId(file: string, exportedName: string): string {
  const found = manifestActions().find((a) => a.file === file && a.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${file} → ${exportedName} in ${distDir()}`);
  return found.id;
}

export type ActionCall = {
  id: string;
  page: string;
  input?: Record<string, unknown>;
  /** Arguments before (previousState, input), e.g. the customer id a console page binds. */
  bound?: unknown[];
  cookie?: string;
  headers?: Record<string, string>;
  plain?: boolean;
  /** The body as sent, instead of JSON of [null, input]. */
  body?: string | Buffer;
  keepAlive?: boolean;
  /** Send `headers` as they are, without the same-origin browser's Origin and Sec-Fetch-*. */
  bare?: boolean;
};

/** The headers a same-origin browser fetch of an action carries. */
export function browserHeaders(): Record<string, string> {
  return {
    origin,
    "sec-fetch-site": "same-origin",
    "sec-fetch-mode": "cors",
    "sec-fetch-dest": "empty",
    accept: "text/x-component",
  };
}

export type ActionReply = Reply & { value: unknown; redirect: string | null };

/** Calls a server action the way React's callServer does, with `(null, input)`. */
export async function callAction(call: ActionCall): Promise<ActionReply> {
  const reply = await raw({
    method: "POST",
    path: call.page,
    plain: call.plain,
    headers: {
      ...(call.bare ? {} : browserHeaders()),
      "next-action": call.id,
      "content-type": "text/plain;charset=UTF-8",
      ...(call.cookie ? { cookie: call.cookie } : {}),
      ...call.headers,
    },
    body: call.body ?? JSON.stringify([...(call.bound ?? []), null, call.input ?? {}]),
    keepAlive: call.keepAlive,
  });
  const location = reply.headers["x-action-redirect"];
  return {
    ...reply,
    value: flightRow(reply.body, "1"),
    redirect: typeof location === "string" ? location.split(";")[0] : null,
  };
}

export { flightRow };

/** The refusal code of an action's answer, or why it is not a refusal. */
export function refusalOf(reply: ActionReply): string {
  if (reply.status >= 500) return `HTTP ${reply.status}`;
  if (reply.status >= 300 && reply.status < 500) return `HTTP ${reply.status}`;
  if (reply.redirect) return `redirect ${reply.redirect}`;
  const v = reply.value as { ok?: boolean; code?: string } | null;
  if (v && v.ok === false) return v.code ?? "refused";
  return v && v.ok === true ? "ACCEPTED" : `no result (HTTP ${reply.status})`;
}

// ---------------------------------------------------------------------------------------------
// Sessions and people

export async function cookieFor(sessionId: string): Promise<string> {
  const token = await encode({ token: { sid: sessionId }, secret: AUTH_SECRET, salt: SESSION_COOKIE, maxAge: 3600 });
  return `${SESSION_COOKIE}=${token}`;
}

export async function userIdOf(username: string): Promise<string> {
  const { rows } = await testDb().query<{ id: string }>("select id from users where username = $1", [username]);
  if (!rows[0]) throw new Error(`no user ${username}`);
  return rows[0].id;
}

/** A full session of `userId` made in the database, and the cookie that names it. */
export async function sessionFor(userId: string, opts: { revoked?: boolean } = {}) {
  const { rows } = await testDb().query<{ id: string }>(
    `insert into sessions (user_id, stage, expires_at, revoked_at, revoked_reason)
     values ($1, 'full', now() + interval '1 hour', ${opts.revoked ? "now()" : "null"}, ${opts.revoked ? "'hostile suite'" : "null"})
     returning id`,
    [userId],
  );
  return { sessionId: rows[0].id, cookie: await cookieFor(rows[0].id) };
}

// ---------------------------------------------------------------------------------------------
// "Nothing was written": every row that belongs to the watched people

type Ref = { table: string; column: string };
let refs: Promise<Ref[]> | undefined;

/** Every (table, column) with a foreign key to users(id): found, not listed, so new tables count. */
function userRefs(): Promise<Ref[]> {
  refs ??= testDb()
    .query<Ref>(
      `select c.conrelid::regclass::text as table, a.attname as column
         from pg_constraint c
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
        where c.contype = 'f' and c.confrelid = 'users'::regclass
        order by 1, 2`,
    )
    .then((r) => r.rows);
  return refs;
}

/**
 * Columns that change on any visit and say nothing about a change of the person's data: a
 * session's last activity. Everything else in every row must be byte-for-byte the same.
 */
const volatileColumns = ["last_seen_at"];

/**
 * Tables that belong to nobody in particular. Other specs write them at the same time, so they
 * are not compared whole: `rowsMentioning` finds any row carrying an attack's unique marker.
 */
const sharedTables = [
  "newsletters",
  "lawful_requests",
  "policy_versions",
  "chat_canned_replies",
  "support_settings",
  "chat_conversations",
  "chat_messages",
  "contact_requests",
  "users",
  "mail_outbox",
  "audit_events",
];

export type Snapshot = Record<string, string>;

/**
 * A fingerprint per table of every row that belongs to one of `userIds` (the users row itself,
 * and any row of any table pointing at them), plus the chat conversations named. Compare two with
 * `changedTables`.
 */
export async function snapshot(userIds: string[], conversationIds: number[] = []): Promise<Snapshot> {
  const db = testDb();
  const out: Snapshot = {};
  const strip = volatileColumns.map((c) => ` - '${c}'`).join("");
  const digest = async (label: string, from: string, where: string, params: unknown[]) => {
    const { rows } = await db.query<{ n: string; h: string }>(
      `select count(*)::text as n,
              coalesce(md5(string_agg((to_jsonb(t)${strip})::text, '|' order by (to_jsonb(t)${strip})::text)), '') as h
         from ${from} t where ${where}`,
      params,
    );
    out[label] = `${rows[0].n}:${rows[0].h}`;
  };
  await digest("users", "users", "id::text = any($1)", [userIds]);
  for (const { table, column } of await userRefs()) {
    // A refused export is audited on purpose (…_denied): that row is the refusal, not a change.
    const notDenial = table === "audit_events" ? ` and action not like '%\\_denied'` : "";
    await digest(`${table}.${column}`, table, `${column}::text = any($1)${notDenial}`, [userIds]);
  }
  if (conversationIds.length) {
    await digest("chat_conversations", "chat_conversations", "id = any($1)", [conversationIds]);
    await digest("chat_messages", "chat_messages", "conversation_id = any($1)", [conversationIds]);
    await digest("chat_proposals", "chat_proposals", "conversation_id = any($1)", [conversationIds]);
  }
  return out;
}

/** Rows of the shared tables (and anyone's users row) that contain `m` anywhere. */
export async function rowsMentioning(m: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of sharedTables) {
    const { rows } = await testDb().query<{ n: string }>(
      `select count(*)::text as n from ${table} t where strpos(to_jsonb(t)::text, $1) > 0`,
      [m],
    );
    if (rows[0].n !== "0") found.push(`${table} (${rows[0].n})`);
  }
  return found;
}

/** The tables whose fingerprint differs between two snapshots (none, for a refused attack). */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}

/** A unique marker for payloads, so a row written by the attack could be found anywhere. */
export function marker(): string {
  return `hostile${Math.random().toString(36).slice(2, 10)}`;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
