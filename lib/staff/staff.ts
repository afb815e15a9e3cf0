import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { passwordResets, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { revokeOtherSessions } from "@/lib/auth/sessions";
import { issueToken, usedNow } from "@/lib/auth/single-use-token";
import { isEmailTaken, isUsernameTaken } from "@/lib/auth/user-lookup";
import { appUrl } from "@/lib/env";
import { queueMail } from "@/lib/mail/outbox";
import { staffInvitationMail, staffTwoStepResetMail } from "@/lib/mail/templates";
import type { Message } from "@/lib/messages";
import { factorSummary, removeAllFactors } from "@/lib/two-step/factors";
import {
  staffRoleNames,
  staffRoles,
  type ChangeStaffRoleInput,
  type CreateStaffInput,
  type ResetStaffTwoStepInput,
  type SetStaffDisabledInput,
  type StaffRole,
} from "./schema";

/**
 * The set-your-password link of a new staff account lives longer than a forgotten-password link
 * (30 minutes): an invitation may wait over a weekend. It is an ordinary password_resets row, so
 * /reset-password redeems it and every rule of a reset (single use, all sessions end) applies.
 */
export const INVITATION_TTL_HOURS = 72;

/** Who makes a change, as the action's session and request name them. */
export type StaffActor = { userId: string; ip: string };

export type StaffMember = {
  id: string;
  firstName: string;
  lastName: string;
  username: string;
  email: string;
  role: StaffRole;
  version: number;
  disabled: boolean;
  /** No password yet: the invitation has not been used. */
  invited: boolean;
  lastSignInAt: Date | null;
  /** Their second factors in words ("Authenticator app, 2 passkeys"), or null when none is set up. */
  twoStep: string | null;
};

/** Every staff account (rep, marketing, admin), by name; the last sign-in is its newest session. */
export async function listStaff(): Promise<StaffMember[]> {
  const rows = await db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      username: users.username,
      email: users.email,
      role: users.role,
      version: users.version,
      disabledAt: users.disabledAt,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      // Spelled out: in a one-table select Drizzle leaves columns unqualified, and inside the
      // subquery "id" would then mean the session's own id.
      lastSignInAt: sql<
        Date | string | null
      >`(select max(s.created_at) from sessions s where s.user_id = "users"."id")`,
      passkeys: sql<number>`(select count(*)::int from passkeys p where p.user_id = "users"."id")`,
      authenticator: sql<boolean>`exists (select 1 from authenticator_apps a where a.user_id = "users"."id" and a.confirmed_at is not null)`,
    })
    .from(users)
    .where(inArray(users.role, [...staffRoles]))
    .orderBy(asc(users.lastName), asc(users.firstName), asc(users.id))
    .limit(1000);
  return rows.map((r) => ({
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    username: r.username ?? "",
    email: r.email ?? "",
    role: r.role as StaffRole,
    version: r.version,
    disabled: r.disabledAt !== null,
    invited: !r.hasPassword,
    lastSignInAt: r.lastSignInAt ? new Date(r.lastSignInAt) : null,
    twoStep: describeFactors(Number(r.passkeys), r.authenticator),
  }));
}

function describeFactors(passkeys: number, authenticator: boolean): string | null {
  const parts = [
    authenticator ? "Authenticator app" : null,
    passkeys ? `${passkeys} passkey${passkeys === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

/**
 * Locks the rows of every active administrator (in id order, so two changes wait for each other
 * instead of deadlocking) and returns their ids. Whoever comes second re-reads the rows after the
 * first commits, so two admins disabling each other at once cannot leave nobody in charge. The
 * acting admin must be among them: an admin demoted or disabled a moment ago cannot still act.
 */
async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

type LockedSubject = { id: string; role: StaffRole; version: number; disabled: boolean; username: string };

/** The staff member a change is about, locked, or the refusal when it is gone, not staff or stale. */
async function lockSubject(
  tx: Tx,
  input: { userId: string; version: number },
): Promise<LockedSubject | "staffNotFound" | "staleSection"> {
  const [row] = await tx
    .select({
      id: users.id,
      role: users.role,
      version: users.version,
      disabledAt: users.disabledAt,
      username: users.username,
    })
    .from(users)
    .where(eq(users.id, input.userId))
    .for("update");
  if (!row || !(staffRoles as readonly string[]).includes(row.role)) return "staffNotFound";
  if (row.version !== input.version) return "staleSection";
  return {
    id: row.id,
    role: row.role as StaffRole,
    version: row.version,
    disabled: row.disabledAt !== null,
    username: row.username ?? "",
  };
}

/** Unique-index violations (two admins creating the same username at once) read as "taken". */
function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  if (code !== "23505") return null;
  return e.constraint ?? e.cause?.constraint ?? "";
}

/**
 * Creates a staff account with no password and mails the person a link to choose one. The admin
 * never sees or sets a password.
 */
export async function createStaff(
  actor: StaffActor,
  input: CreateStaffInput,
): Promise<Outcome<{ id: string; values: Record<string, string> }>> {
  const { token, tokenHash, expiresAt } = issueToken(INVITATION_TTL_HOURS * 3600_000);
  try {
    return await db.transaction(async (tx) => {
      if (!(await lockActiveAdmins(tx)).includes(actor.userId)) return fail("forbidden");
      const taken: Record<string, Message[]> = {};
      if (await isUsernameTaken(tx, input.username)) taken.username = ["usernameTaken"];
      if (await isEmailTaken(tx, input.email)) taken.email = ["emailTaken"];
      if (Object.keys(taken).length) return fail("invalidInput", taken);
      const [created] = await tx
        .insert(users)
        .values({
          role: input.role,
          username: input.username,
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
          passwordHash: null,
        })
        .returning({ id: users.id });
      await tx.insert(passwordResets).values({ userId: created.id, tokenHash, expiresAt });
      await recordAudit(tx, {
        actorId: actor.userId,
        subjectUserId: created.id,
        action: "staff.created",
        detail: { username: input.username, role: input.role },
        ip: actor.ip,
      });
      await queueMail(tx, {
        to: input.email,
        ...staffInvitationMail({
          firstName: input.firstName,
          username: input.username,
          roleName: staffRoleNames[input.role],
          link: `${appUrl()}/reset-password?token=${token}`,
          hours: INVITATION_TTL_HOURS,
        }),
      });
      return ok(
        { id: created.id, values: { firstName: "", lastName: "", username: "", email: "", role: "rep" } },
        `${input.firstName} ${input.lastName} was added as ${staffRoleNames[input.role].toLowerCase()}. We e-mailed them a link to set their password.`,
      );
    });
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === null) throw err;
    return fail(
      "invalidInput",
      constraint.includes("email") ? { email: ["emailTaken"] } : { username: ["usernameTaken"] },
    );
  }
}

/**
 * Moves a staff member between rep, marketing and admin. Their sessions end in the same
 * transaction, so their next request meets the sign-in page and they come back with the new role.
 */
export async function changeStaffRole(actor: StaffActor, input: ChangeStaffRoleInput): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (!admins.includes(actor.userId)) return fail("forbidden");
    const subject = await lockSubject(tx, input);
    if (typeof subject === "string") return fail(subject);
    if (subject.role === input.role) return fail("staffRoleUnchanged");
    // Demoting an active admin: somebody else must stay an active admin.
    if (subject.role === "admin" && !subject.disabled && admins.every((id) => id === subject.id)) {
      return fail("staffLastAdmin");
    }
    await tx
      .update(users)
      .set({ role: input.role, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, subject.id));
    const signedOut = await revokeOtherSessions(tx, subject.id, null, "role changed");
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: subject.id,
      action: "staff.role_changed",
      detail: { username: subject.username, from: subject.role, to: input.role, sessionsEnded: signedOut },
      ip: actor.ip,
    });
    return ok(undefined, `${subject.username} is now ${staffRoleNames[input.role].toLowerCase()}; they sign in again.`);
  });
}

/**
 * Disables a staff account (sign-in refused, every session ended, unused set-password links
 * voided) or enables it again (they sign in with their password, or ask for a reset).
 */
export async function setStaffDisabled(actor: StaffActor, input: SetStaffDisabledInput): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (!admins.includes(actor.userId)) return fail("forbidden");
    const subject = await lockSubject(tx, input);
    if (typeof subject === "string") return fail(subject);
    const disable = input.disabled === "disable";
    if (disable === subject.disabled) return fail("staleSection");
    if (disable && subject.role === "admin" && admins.every((id) => id === subject.id)) return fail("staffLastAdmin");
    await tx
      .update(users)
      .set({
        disabledAt: disable ? sql`now()` : null,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, subject.id));
    let signedOut = 0;
    if (disable) {
      signedOut = await revokeOtherSessions(tx, subject.id, null, "account disabled");
      await tx
        .update(passwordResets)
        .set(usedNow)
        .where(and(eq(passwordResets.userId, subject.id), isNull(passwordResets.usedAt)));
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: subject.id,
      action: disable ? "staff.disabled" : "staff.enabled",
      detail: { username: subject.username, role: subject.role, ...(disable && { sessionsEnded: signedOut }) },
      ip: actor.ip,
    });
    return ok(
      undefined,
      disable
        ? `${subject.username} is disabled: their sessions ended and they cannot sign in.`
        : `${subject.username} is enabled again and can sign in.`,
    );
  });
}

/**
 * Removes every second factor of a staff member (passkeys, authenticator app, recovery codes) and
 * ends their sessions: for a lost phone. Their next sign-in walks them through enrolment again
 * (lib/auth/verify-credentials.ts), so the console stays closed to them until they have a factor.
 * Audited with the admin's reason; the member is told by mail. An admin cannot reset their own:
 * the session doing it would be the one that loses its factor.
 */
export async function resetStaffTwoStep(actor: StaffActor, input: ResetStaffTwoStepInput): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (!admins.includes(actor.userId)) return fail("forbidden");
    const subject = await lockSubject(tx, input);
    if (typeof subject === "string") return fail(subject);
    if (subject.id === actor.userId) return fail("staffTwoStepResetSelf");
    const before = await factorSummary(subject.id, tx);
    await removeAllFactors(tx, subject.id);
    await tx
      .update(users)
      .set({ version: sql`${users.version} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, subject.id));
    const signedOut = await revokeOtherSessions(tx, subject.id, null, "two-step reset by an administrator");
    await recordAudit(tx, {
      actorId: actor.userId,
      subjectUserId: subject.id,
      action: "staff.two_step_reset",
      detail: {
        username: subject.username,
        reason: input.reason,
        passkeysRemoved: before.passkeys.length,
        authenticatorRemoved: before.authenticator !== null,
        sessionsEnded: signedOut,
      },
      ip: actor.ip,
    });
    const [member] = await tx
      .select({ email: users.email, firstName: users.firstName })
      .from(users)
      .where(eq(users.id, subject.id));
    const [admin] = await tx
      .select({ firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(eq(users.id, actor.userId));
    if (member?.email) {
      await queueMail(tx, {
        userId: subject.id,
        to: member.email,
        ...staffTwoStepResetMail({ firstName: member.firstName, adminName: `${admin?.firstName} ${admin?.lastName}` }),
      });
    }
    return ok(
      undefined,
      `${subject.username}'s two-step sign-in was reset: they were signed out and must set it up again at their next sign-in.`,
    );
  });
}
