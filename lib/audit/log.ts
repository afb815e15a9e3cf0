import "server-only";
import { Readable } from "node:stream";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { auditEvents, users, type Role } from "@/db/schema";
import { can } from "@/lib/auth/capabilities";
import { safeCsvRow } from "@/lib/csv/cell";
import { recordAudit } from "./record";

/**
 * The admin's audit log: every audit row, newest first, filtered by who acted, which customer it
 * was about, what kind of action and when; keyset-paged on (created_at, id) so page 500 costs what
 * page 1 does. Each filter meets an index: audit_events_actor_idx, audit_events_subject_idx,
 * audit_events_action_idx, else audit_events_time_idx. The export streams the same query in batches.
 */

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

/** What an admin reads for each kind of row (the customer's own wording is in activity.ts). */
const actionWords: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Unsuccessful sign-in",
  "auth.attack_alert_sent": "Mailed about many unsuccessful sign-ins",
  "auth.sign_out": "Signed out",
  "auth.registered": "Registered for MyAccount",
  "auth.password_changed": "Changed their password",
  "auth.password_reset_requested": "Password reset requested",
  "auth.password_reset": "Password set by e-mail link",
  "auth.device_signed_out": "Signed a device out",
  "auth.signed_out_everywhere_else": "Signed out of all other devices",
  "email.change_requested": "E-mail change requested",
  "email.change_cancelled": "E-mail change cancelled",
  "email.change_undone": "E-mail change undone from the old address",
  "account.recovered": "“This wasn't me”: signed out everywhere, reset started",
  "profile.updated": "Profile updated",
  "account.closed": "Account closed",
  "data.exported": "Customer downloaded their data",
  "data.export_denied": "Data download refused",
  "staff.customer_viewed": "Opened a customer's details",
  "staff.chat_transcript_read": "Read a chat transcript",
  "chat.taken": "Answered a chat",
  "contact.handled": "Contact request handled",
  "marketing.export_started": "Opt-in export started",
  "marketing.export": "Opt-in export finished",
  "marketing.export_denied": "Opt-in export refused",
  "marketing.newsletter_started": "Newsletter sent",
  "marketing.newsletter_test_sent": "Newsletter test sent to self",
  "policy.draft_started": "Privacy policy draft started",
  "policy.draft_saved": "Privacy policy draft saved",
  "policy.published": "Privacy policy published",
  "policy.withdrawn": "Privacy policy version withdrawn",
  "support.settings_updated": "Support settings changed",
  "support.canned_reply_created": "Canned reply added",
  "support.canned_reply_updated": "Canned reply changed",
  "support.canned_reply_deleted": "Canned reply deleted",
  "staff.created": "Staff account created",
  "staff.role_changed": "Staff role changed",
  "staff.disabled": "Staff account disabled",
  "staff.enabled": "Staff account enabled",
  "staff.two_step_reset": "Staff two-step sign-in reset",
  "auth.password_ok_second_step_pending": "Password right, second step asked for",
  "auth.second_step_failed": "Unsuccessful second step",
  "auth.second_step_cancelled": "Sign-in cancelled at the second step",
  "auth.reauthenticated": "Confirmed it's them before a security change",
  "two_step.enrolled": "Two-step set up at sign-in (staff)",
  "two_step.passkey_added": "Passkey added",
  "two_step.passkey_removed": "Passkey removed",
  "two_step.passkey_renamed": "Passkey renamed",
  "two_step.authenticator_added": "Authenticator app set up",
  "two_step.authenticator_removed": "Authenticator app removed",
  "two_step.recovery_codes_regenerated": "Recovery codes replaced",
  "audit.exported": "Audit log exported",
  "audit.export_denied": "Audit log export refused",
};

/** "Staff account disabled"; an action this code has no words for shows as its code. */
export function actionInWords(action: string): string {
  return actionWords[action] ?? action;
}

// Keys whose values never appear in the log's detail column or its export, whatever a writer put
// there. A session id counts: the session cookie carries it, so it works as a credential.
const secretKey = /(token|password|secret|hash|cipher|encrypted|ipad|opad|otp|cvc|cvv|session_?id)/i;

/** A short, readable line of a row's detail ("from: rep; to: admin"), never a secret. */
export function shortDetail(detail: Record<string, unknown>, max = 200): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail ?? {})) {
    if (secretKey.test(key) || value === null || value === undefined || value === "") continue;
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    parts.push(`${key}: ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`);
  }
  const line = parts.join("; ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

// ---- filters --------------------------------------------------------------------------------

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
function validDate(v: string): boolean {
  if (!isoDate.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
const optionalDate = z._default(
  z.string().check(
    z.trim(),
    z.maxLength(10, "Enter a date as YYYY-MM-DD"),
    z.refine((v) => v === "" || validDate(v), "Enter a real date as YYYY-MM-DD"),
  ),
  "",
);
const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,18})$/;

/** The GET form's fields (all optional), each limited, with the message shown beside it. */
export const auditFilterSchema = z
  .object({
    actor: z._default(z.string().check(z.trim(), z.maxLength(254, "Use at most 254 characters")), ""),
    customer: z._default(
      z.string().check(z.trim(), z.regex(/^(\d{6,12})?$/, "Enter an account number (6–12 digits)")),
      "",
    ),
    action: z._default(
      z.string().check(z.trim(), z.regex(/^([a-z0-9_.]{1,64})?$/, "Choose an action from the list")),
      "",
    ),
    from: optionalDate,
    to: optionalDate,
    before: z._default(
      z.string().check(
        z.maxLength(60),
        z.refine((v) => v === "" || cursorPattern.test(v)),
      ),
      "",
    ),
  })
  .check(
    z.refine((v) => !(v.from && v.to && v.from > v.to), {
      path: ["to"],
      message: "The end date must be on or after the start date",
    }),
  );
export type AuditFilters = z.output<typeof auditFilterSchema>;
export type AuditFilterField = "actor" | "customer" | "action" | "from" | "to" | "before";

/** The search parameters of a request as the filter's fields (the first of a repeated one). */
export function filterParams(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const get = (k: string) =>
    params instanceof URLSearchParams ? (params.get(k) ?? "") : ([params[k]].flat()[0] ?? "").toString();
  return {
    actor: get("actor"),
    customer: get("customer"),
    action: get("action"),
    from: get("from"),
    to: get("to"),
    before: get("before"),
  };
}

export type ParsedFilters =
  { ok: true; filters: AuditFilters } | { ok: false; errors: Partial<Record<AuditFilterField, string>> };

export function parseAuditFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): ParsedFilters {
  const parsed = z.safeParse(auditFilterSchema, filterParams(params));
  if (parsed.success) return { ok: true, filters: parsed.data };
  const fields = z.flattenError(parsed.error).fieldErrors as Partial<Record<AuditFilterField, string[]>>;
  const errors: Partial<Record<AuditFilterField, string>> = {};
  for (const [k, v] of Object.entries(fields)) if (v?.[0]) errors[k as AuditFilterField] = v[0];
  if (fields.before) errors.before = "That page link is not valid. Start again from the newest entries.";
  return { ok: false, errors };
}

/** The same filters as query-string pairs (for the next-page link and the export link). */
export function filterQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const { before: _page, ...rest } = filters;
  const entries = Object.entries({ ...rest, ...extra }).filter(([, v]) => v !== "");
  return new URLSearchParams(entries).toString();
}

// ---- the query ------------------------------------------------------------------------------

const actor = alias(users, "actor");
const subject = alias(users, "subject");

export type AuditRow = {
  id: number;
  createdAt: Date;
  cursor: string;
  action: string;
  actionWords: string;
  detail: string;
  ip: string;
  actor: { username: string; name: string; role: Role } | null;
  /** The customer's account number, or for a staff subject their username. */
  subject: { accountNumber: string | null; username: string | null; role: Role } | null;
};

type Resolved = { where: SQL | undefined } | { unmatched: "actor" | "customer" };

/** Actor and customer are typed as people know them; they become ids (one indexed lookup each). */
async function resolveFilters(f: AuditFilters): Promise<Resolved> {
  const conditions: (SQL | undefined)[] = [];
  if (f.actor) {
    const [who] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${f.actor}) or lower(${users.email}) = lower(${f.actor})`)
      .limit(1);
    if (!who) return { unmatched: "actor" };
    conditions.push(eq(auditEvents.actorId, who.id));
  }
  if (f.customer) {
    const [whom] = await db.select({ id: users.id }).from(users).where(eq(users.accountNumber, f.customer)).limit(1);
    if (!whom) return { unmatched: "customer" };
    conditions.push(eq(auditEvents.subjectUserId, whom.id));
  }
  if (f.action) conditions.push(eq(auditEvents.action, f.action));
  if (f.from) conditions.push(gte(auditEvents.createdAt, sql`${f.from}::date::timestamp at time zone 'UTC'`));
  if (f.to) conditions.push(lt(auditEvents.createdAt, sql`(${f.to}::date + 1)::timestamp at time zone 'UTC'`));
  return { where: and(...conditions) };
}

async function fetchPage(where: SQL | undefined, before: string, limit: number): Promise<AuditRow[]> {
  const m = before ? cursorPattern.exec(before) : null;
  const after = m
    ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${m[1]}::timestamptz, ${m[2]}::bigint)`
    : undefined;
  const rows = await db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      // Microseconds: a JS Date keeps milliseconds only, and the next page must start exactly here.
      cursor: sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      action: auditEvents.action,
      detail: auditEvents.detail,
      ip: auditEvents.ip,
      actorId: auditEvents.actorId,
      actorUsername: actor.username,
      actorEmail: actor.email,
      actorFirst: actor.firstName,
      actorLast: actor.lastName,
      actorRole: actor.role,
      subjectId: auditEvents.subjectUserId,
      subjectAccount: subject.accountNumber,
      subjectUsername: subject.username,
      subjectRole: subject.role,
    })
    .from(auditEvents)
    .leftJoin(actor, eq(actor.id, auditEvents.actorId))
    .leftJoin(subject, eq(subject.id, auditEvents.subjectUserId))
    .where(and(where, after))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    cursor: `${r.cursor}_${r.id}`,
    action: r.action,
    actionWords: actionInWords(r.action),
    detail: shortDetail(r.detail),
    ip: r.ip,
    actor:
      r.actorId && r.actorRole
        ? {
            username: r.actorUsername ?? r.actorEmail ?? "",
            name: `${r.actorFirst} ${r.actorLast}`.trim(),
            role: r.actorRole,
          }
        : null,
    subject:
      r.subjectId && r.subjectRole
        ? { accountNumber: r.subjectAccount, username: r.subjectUsername, role: r.subjectRole }
        : null,
  }));
}

export type AuditPage = {
  rows: AuditRow[];
  /** The `before` value of the next (older) page, when there is one. */
  next: string | null;
  /** A person filter that names nobody: nothing to list, and the page says which. */
  unmatched?: "actor" | "customer";
};

/** One page of the audit log under these filters, newest first. */
export async function listAuditLog(filters: AuditFilters, pageSize = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const resolved = await resolveFilters(filters);
  if ("unmatched" in resolved) return { rows: [], next: null, unmatched: resolved.unmatched };
  const rows = await fetchPage(resolved.where, filters.before, pageSize + 1);
  const page = rows.slice(0, pageSize);
  return { rows: page, next: rows.length > pageSize ? page[page.length - 1].cursor : null };
}

/**
 * The actions the filter offers: those with words, and any other action present in the log (a
 * loose index scan over audit_events_action_idx: one probe per distinct action, not a table scan).
 */
export async function listKnownActions(): Promise<{ value: string; label: string }[]> {
  const result = await db.execute<{ action: string }>(sql`
    with recursive a(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select e.action from audit_events e where e.action > a.action order by e.action limit 1)
      from a where a.action is not null
    )
    select action from a where action is not null limit 500`);
  const present = result.rows.map((r) => r.action);
  const all = [...new Set([...Object.keys(actionWords), ...present])];
  return all
    .map((value) => ({ value, label: actionWords[value] ? `${actionWords[value]} (${value})` : value }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

// ---- the export -----------------------------------------------------------------------------

export const AUDIT_EXPORT_COLUMNS = [
  "time_utc",
  "actor_username",
  "actor_role",
  "customer_account",
  "subject_username",
  "action",
  "action_in_words",
  "detail",
  "ip",
] as const;

function csvLine(r: AuditRow): string {
  return safeCsvRow([
    r.cursor.slice(0, r.cursor.indexOf("_")),
    r.actor?.username ?? "",
    r.actor?.role ?? "",
    r.subject?.accountNumber ?? "",
    r.subject && r.subject.role !== "customer" ? (r.subject.username ?? "") : "",
    r.action,
    r.actionWords,
    r.detail,
    r.ip,
  ]);
}

export type AuditExportRefusal = "auditExportSignedOut" | "auditExportForbidden" | "auditExportBadFilter";

/**
 * The filtered log as CSV, streamed in keyset batches (flat memory however long the log), every
 * cell formula-safe. Only admins; a refusal of someone signed in is audited, and so is the export
 * itself — before any row leaves, with its filters.
 */
export async function openAuditExport(
  viewer: { userId: string; role: Role } | null,
  params: URLSearchParams,
  ip: string,
): Promise<{ ok: true; stream: Readable } | { ok: false; code: AuditExportRefusal }> {
  const raw = filterParams(params);
  const asked = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.slice(0, 64)]));
  // Someone with no live session (none, expired, revoked) probing for the log is on the record too.
  if (!viewer) {
    await recordAudit(db, {
      actorId: null,
      subjectUserId: null,
      action: "audit.export_denied",
      detail: { reason: "signed out", ...asked },
      ip,
    });
    return { ok: false, code: "auditExportSignedOut" };
  }
  if (!can(viewer.role, "admin.audit")) {
    await recordAudit(db, {
      actorId: viewer.userId,
      subjectUserId: null,
      action: "audit.export_denied",
      detail: { role: viewer.role, ...asked },
      ip,
    });
    return { ok: false, code: "auditExportForbidden" };
  }
  const parsed = parseAuditFilters(params);
  if (!parsed.ok) {
    await recordAudit(db, {
      actorId: viewer.userId,
      subjectUserId: null,
      action: "audit.export_denied",
      detail: { reason: "invalid filters", ...asked },
      ip,
    });
    return { ok: false, code: "auditExportBadFilter" };
  }
  const filters = { ...parsed.filters, before: "" };
  const resolved = await resolveFilters(filters);
  const { before: _b, ...named } = filters;
  await recordAudit(db, {
    actorId: viewer.userId,
    subjectUserId: null,
    action: "audit.exported",
    detail: Object.fromEntries(Object.entries(named).filter(([, v]) => v !== "")),
    ip,
  });
  const stream = Readable.from(
    (async function* () {
      yield `${AUDIT_EXPORT_COLUMNS.join(",")}\n`;
      if ("unmatched" in resolved) return;
      let before = "";
      for (;;) {
        const rows = await fetchPage(resolved.where, before, EXPORT_BATCH);
        if (rows.length === 0) return;
        yield rows.map(csvLine).join("");
        if (rows.length < EXPORT_BATCH) return;
        before = rows[rows.length - 1].cursor;
      }
    })(),
  );
  return { ok: true, stream };
}
