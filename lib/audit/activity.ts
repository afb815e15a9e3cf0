import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "@/db/client";
import { auditEvents, users } from "@/db/schema";
import { sectionLabels } from "@/lib/profile/sections";

const ACTIVITY_PAGE_SIZE = 20;

/** "Phone number", or "Profile" for a section this code does not know (audit rows are forever). */
function sectionName(section: unknown): string {
  if (typeof section !== "string" || !Object.hasOwn(sectionLabels, section)) return "Profile";
  const label: string = sectionLabels[section as keyof typeof sectionLabels];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The words a customer reads for each kind of audit row (the activity page and the data download). */
export function describeActivity(action: string, detail: Record<string, unknown>): string {
  const what = describeAction(action, detail);
  // A change the customer approved in a chat: they made it, a rep proposed it.
  if (
    typeof detail.chatId === "number" &&
    typeof detail.proposedBy === "string" &&
    action !== "staff.customer_viewed"
  ) {
    const rep = /^[0-9a-f-]{36}$/i.test(detail.proposedBy) ? "a representative" : detail.proposedBy;
    return `${what} — changed by you, proposed by ${rep} in chat #${detail.chatId}`;
  }
  return what;
}

/** How a sign-in was verified (sessions.verified_by), in words: " with a passkey", "". */
function signedInWith(verifiedBy: unknown): string {
  const words: Record<string, string> = {
    passkey: " with a passkey",
    "password+authenticator": " with password and authenticator app",
    "password+passkey": " with password and passkey",
    "password+recovery_code": " with password and a recovery code",
  };
  return typeof verifiedBy === "string" && Object.hasOwn(words, verifiedBy) ? words[verifiedBy] : "";
}

function describeAction(action: string, detail: Record<string, unknown>): string {
  switch (action) {
    case "auth.sign_in":
      return `Signed in${signedInWith(detail.verifiedBy)}`;
    case "auth.password_ok_second_step_pending":
      return "Password entered; the second step was asked for";
    case "auth.second_step_failed":
      return "Unsuccessful second step (wrong code, recovery code or passkey)";
    case "auth.second_step_cancelled":
      return "Sign-in cancelled at the second step";
    case "auth.reauthenticated":
      return `Identity confirmed (${detail.by === "passkey" ? "passkey" : "password"}) before a security change`;
    case "two_step.enrolled":
      return `Two-step sign-in set up at sign-in (${detail.method === "passkey" ? "passkey" : "authenticator app"})`;
    case "two_step.passkey_added":
      return `Passkey added${typeof detail.name === "string" ? `: ${detail.name}` : ""} (other devices signed out)`;
    case "two_step.passkey_removed":
      return `Passkey removed${typeof detail.name === "string" ? `: ${detail.name}` : ""} (other devices signed out)`;
    case "two_step.passkey_renamed":
      return `Passkey renamed${typeof detail.name === "string" ? ` to ${detail.name}` : ""}`;
    case "two_step.authenticator_added":
      return "Authenticator app set up (other devices signed out)";
    case "two_step.authenticator_removed":
      return "Authenticator app removed (other devices signed out)";
    case "two_step.recovery_codes_regenerated":
      return "New recovery codes made; the old ones no longer work";
    case "staff.two_step_reset":
      return "Two-step sign-in reset by an administrator (all devices signed out)";
    case "auth.sign_in_failed":
      return "Unsuccessful sign-in attempt";
    case "auth.attack_alert_sent":
      return "Many unsuccessful sign-in attempts: sign-ins from new devices slowed down, and you were e-mailed";
    case "auth.sign_out":
      return "Signed out";
    case "auth.registered":
      return "Registered for MyAccount";
    case "auth.password_changed":
      return "Password changed (other devices signed out)";
    case "auth.password_reset_requested":
      return "Password reset requested";
    case "auth.password_reset":
      return "Password reset by e-mail link (all devices signed out)";
    case "auth.device_signed_out":
      // One row per "Sign out" on the device list; a group of sessions names how many ended.
      return Array.isArray(detail.sessionIds) && detail.sessionIds.length > 1
        ? `A device was signed out (${detail.sessionIds.length} sessions)`
        : "A device was signed out";
    case "auth.signed_out_everywhere_else":
      return "Signed out of all other devices";
    case "email.change_requested":
      return `E-mail change to ${String(detail.newEmail ?? "a new address")} requested`;
    case "email.change_cancelled":
      return "E-mail change cancelled";
    // The undo link mailed to the old address (lib/recovery/recover.ts).
    case "email.change_undone":
      return `E-mail change undone: ${String(detail.restoredEmail ?? "your previous address")} is your address again (all devices signed out, new password asked for)`;
    // "This wasn't me" from a security mail.
    case "account.recovered":
      return "“This wasn't me” reported: all devices signed out and a password reset started";
    case "profile.updated": {
      const section = sectionName(detail.section);
      const extra = detail.paymentMethod
        ? `: ${String(detail.paymentMethod)}`
        : detail.newEmail
          ? `: now ${String(detail.newEmail)}`
          : "";
      return `${section} updated${extra}`;
    }
    // Reason-before-access (lib/access/grants.ts): the reason is part of the sentence.
    case "staff.customer_viewed":
      return `A customer service representative viewed your profile — ${String(detail.accessReasonText ?? "reason recorded")}`;
    case "staff.chat_transcript_read":
      return `A customer service representative read the transcript of chat #${String(detail.chatId ?? "")}`;
    case "chat.taken":
      return `A customer service representative answered your chat #${String(detail.chatId ?? "")}`;
    // Recorded by customer service at the customer's request (the reason is shown on its own line).
    case "preferences.changed":
      return `E-mail preferences changed${Array.isArray(detail.changed) ? `: ${detail.changed.map(String).join("; ")}` : ""}`;
    // The lawful-request register (lib/lawful/register.ts); restricted entries write no row for the customer.
    case "lawful.disclosed":
      return `Information about you was disclosed to ${String(detail.authority ?? "an authority")} — ${String(detail.legalBasis ?? "legal basis recorded")}: ${String(detail.disclosed ?? "")}`;
    case "data.exported":
      return "Your data was downloaded (Download my data)";
    case "data.export_denied":
      return "A download of your data was refused";
    case "account.closed":
      return "Account closed";
    default:
      return action;
  }
}

const actor = alias(users, "actor");

/** One page of what happened to the customer's account, newest first. */
export async function listActivity(userId: string, page: number) {
  const offset = (Math.max(1, page) - 1) * ACTIVITY_PAGE_SIZE;
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      detail: auditEvents.detail,
      ip: auditEvents.ip,
      createdAt: auditEvents.createdAt,
      actorId: auditEvents.actorId,
      actorRole: actor.role,
      actorFirstName: actor.firstName,
    })
    .from(auditEvents)
    .leftJoin(actor, eq(actor.id, auditEvents.actorId))
    .where(eq(auditEvents.subjectUserId, userId))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(ACTIVITY_PAGE_SIZE + 1)
    .offset(offset);
  const [{ total }] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(eq(auditEvents.subjectUserId, userId));
  return {
    items: rows.slice(0, ACTIVITY_PAGE_SIZE).map((r) => ({
      id: r.id,
      when: r.createdAt,
      what: describeActivity(r.action, r.detail),
      who: !r.actorId
        ? "—"
        : r.actorId === userId
          ? "You"
          : `${r.actorFirstName} (${r.actorRole === "rep" ? "customer service" : r.actorRole})`,
      reason: typeof r.detail.reason === "string" ? r.detail.reason : null,
      ip: r.ip,
    })),
    hasMore: rows.length > ACTIVITY_PAGE_SIZE,
    total,
  };
}

/** The last few things that happened to a customer's account, for staff under an access grant. */
export async function recentActivity(userId: string, limit = 10) {
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      detail: auditEvents.detail,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(eq(auditEvents.subjectUserId, userId))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, when: r.createdAt, what: describeActivity(r.action, r.detail) }));
}
