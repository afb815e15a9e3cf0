import "server-only";
import { and, eq } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { addresses, authenticatorApps, passkeys, recoveryCodes, sessions, users } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { revokeOtherSessions, type ActiveSession } from "@/lib/auth/sessions";
import { appUrl } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { queueMail } from "@/lib/mail/outbox";
import type { MessageCode } from "@/lib/messages";
import { issueRecoveryLink } from "@/lib/recovery/tokens";
import { resolveTimeZone } from "@/lib/time-zone";
import { factorSummary, hasSecondFactor } from "./factors";
import { isFreshlyVerified } from "./fresh";
import { defaultPasskeyName } from "./manage-schema";
import { passkeyRegistrationOptions, removePasskey, renamePasskey, savePasskey } from "./passkeys";
import { issueRecoveryCodes } from "./recovery-codes";
import { beginAuthenticatorEnrolment, confirmAuthenticatorEnrolment, removeAuthenticator } from "./totp";

/**
 * The one door for changing a person's own sign-in methods (the security pages of customers and
 * staff). Every change that adds or removes a way in needs a fresh verification (fresh.ts), and
 * runs in one transaction with its consequences: the other sessions end (an intruder's session
 * must not outlive the change), an audit row, and a security mail with "This wasn't me", whose
 * recovery removes every factor added since the event (factors.ts removeFactorsAddedSince).
 */

export type ManageActor = { session: ActiveSession; ip: string };

/** What turning two-step on hands back once: the recovery codes, in clear, never stored so. */
export type FactorAdded = { recoveryCodes: string[] | null };

type Change =
  | { kind: "passkey_added"; name: string; at: Date }
  | { kind: "passkey_removed"; name: string; at: Date }
  | { kind: "authenticator_added"; at: Date }
  | { kind: "authenticator_removed"; at: Date }
  | { kind: "recovery_codes_regenerated"; at: Date };

/** Refusal thrown inside a transaction to roll back what it already did (e.g. the removal of a staff member's last factor). */
class Refused extends Error {
  constructor(readonly code: MessageCode) {
    super(code);
  }
}

function needsFreshVerification(actor: ManageActor): Outcome<never> | null {
  return isFreshlyVerified(actor.session) ? null : fail("freshVerificationNeeded");
}

async function inTransaction<T>(work: (tx: Tx) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await db.transaction(work);
  } catch (err) {
    if (err instanceof Refused) return fail(err.code);
    throw err;
  }
}

/** The steps every change shares: other sessions out, the audit row, the mail. */
async function consequences(tx: Tx, actor: ManageActor, change: Change, detail: Record<string, unknown> = {}) {
  const { userId, sessionId } = actor.session;
  const signedOut = await revokeOtherSessions(tx, userId, sessionId, "two-step changed");
  await recordAudit(tx, {
    actorId: userId,
    subjectUserId: userId,
    action: `two_step.${change.kind}`,
    detail: { ...detail, otherSessionsSignedOut: signedOut },
    ip: actor.ip,
  });
  const [to] = await tx
    .select({ email: users.email, timeZone: users.timeZone, state: addresses.state })
    .from(users)
    .leftJoin(addresses, and(eq(addresses.userId, users.id), eq(addresses.kind, "service")))
    .where(eq(users.id, userId));
  if (!to?.email) return;
  const [device] = await tx
    .select({ browser: sessions.browser, os: sessions.os })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  const notMeLink = await issueRecoveryLink(tx, { userId, kind: "not_me", eventAt: change.at });
  await queueMail(tx, {
    to: to.email,
    ...twoStepChangedMail({
      change,
      when: formatDateTime(change.at, resolveTimeZone(to.timeZone, to.state)),
      device: device ? `${device.browser} on ${device.os}` : "an unknown device",
      notMeLink,
    }),
  });
}

/** Plain text, like every security alert (lib/mail/templates.ts): what changed, when, on which device, and the way back. */
export function twoStepChangedMail(input: { change: Change; when: string; device: string; notMeLink: string }) {
  const { change } = input;
  const what = {
    passkey_added: {
      subject: "A passkey was added to your MyAccount",
      line: `A passkey ("${nameOf(change)}") was added`,
    },
    passkey_removed: {
      subject: "A passkey was removed from your MyAccount",
      line: `A passkey ("${nameOf(change)}") was removed`,
    },
    authenticator_added: {
      subject: "An authenticator app was set up for your MyAccount",
      line: "An authenticator app was set up for two-step sign-in",
    },
    authenticator_removed: {
      subject: "The authenticator app was removed from your MyAccount",
      line: "The authenticator app was removed from two-step sign-in",
    },
    recovery_codes_regenerated: {
      subject: "New recovery codes were made for your MyAccount",
      line: "New recovery codes were made (the old ones no longer work)",
    },
  }[change.kind];
  return {
    subject: what.subject,
    text: `${what.line} on ${input.when}, from ${input.device}. Your other devices were signed out.

If this wasn't you, use this link. It signs out every device on your account, removes sign-in methods added since then, and lets you choose a new password right away (it works once, for 7 days):
${input.notMeLink}

You can see your sign-in methods here:
${appUrl()}/account/security`,
  };
}

function nameOf(change: Change): string {
  return "name" in change ? change.name : "";
}

/** Turning on the first factor issues the recovery codes (a customer's two-step is then on). */
async function codesIfFirst(tx: Tx, userId: string, wasOn: boolean): Promise<string[] | null> {
  return wasOn ? null : issueRecoveryCodes(tx, userId);
}

// ---------------------------------------------------------------------------------------------
// Passkeys

/** Registration options for a new passkey of the signed-in person (their existing ones excluded). */
export async function startAddingPasskey(actor: ManageActor) {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const s = actor.session;
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, s.userId));
  const options = await passkeyRegistrationOptions({
    userId: s.userId,
    userName: s.username ?? user?.email ?? s.userId,
    displayName: `${s.firstName} ${s.lastName}`.trim() || (s.username ?? "MyAccount"),
    sessionId: s.sessionId,
  });
  return ok(options);
}

export async function addPasskey(
  actor: ManageActor,
  input: { name: string; response: unknown },
): Promise<Outcome<FactorAdded>> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const { userId, sessionId } = actor.session;
  return inTransaction(async (tx) => {
    const wasOn = await hasSecondFactor(userId, tx);
    const saved = await savePasskey(tx, { userId, sessionId, name: input.name, response: input.response });
    if (!saved.ok) throw new Refused(saved.code);
    const codes = await codesIfFirst(tx, userId, wasOn);
    await consequences(
      tx,
      actor,
      { kind: "passkey_added", name: input.name, at: saved.createdAt },
      { passkeyId: saved.passkeyId, name: input.name },
    );
    return ok({ recoveryCodes: codes }, `Your passkey "${input.name}" was added.`);
  });
}

/** Renaming changes no way in: no fresh verification, no mail, no sign-outs; audited. */
export async function renameOwnPasskey(actor: ManageActor, passkeyId: string, name: string): Promise<Outcome> {
  const { userId } = actor.session;
  return inTransaction(async (tx) => {
    if (!(await renamePasskey(tx, userId, passkeyId, name))) throw new Refused("factorNotFound");
    await recordAudit(tx, {
      actorId: userId,
      subjectUserId: userId,
      action: "two_step.passkey_renamed",
      detail: { passkeyId, name },
      ip: actor.ip,
    });
    return ok(undefined, `The passkey is now called "${name}".`);
  });
}

export async function removeOwnPasskey(actor: ManageActor, passkeyId: string): Promise<Outcome> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const { userId } = actor.session;
  return inTransaction(async (tx) => {
    const [key] = await tx
      .select({ name: passkeys.name })
      .from(passkeys)
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)));
    if (!key || !(await removePasskey(tx, userId, passkeyId))) throw new Refused("factorNotFound");
    const stillOn = await afterRemoval(tx, actor);
    await consequences(
      tx,
      actor,
      { kind: "passkey_removed", name: key.name, at: new Date() },
      { passkeyId, name: key.name, twoStepOn: stillOn },
    );
    return ok(undefined, `The passkey "${key.name}" was removed.${stillOn ? "" : " Two-step sign-in is now off."}`);
  });
}

/**
 * After a factor was removed (inside its transaction): staff must keep one (the removal is rolled
 * back); a customer with none left has two-step off, and their recovery codes go with it.
 */
async function afterRemoval(tx: Tx, actor: ManageActor): Promise<boolean> {
  const { userId, role } = actor.session;
  if (await hasSecondFactor(userId, tx)) return true;
  if (role !== "customer") throw new Refused("staffFactorRequired");
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Authenticator app

/** A new secret (unconfirmed until the first code) with its QR code. */
export async function startAuthenticatorSetup(
  actor: ManageActor,
): Promise<Outcome<{ secret: string; uri: string; qrSvg: string }>> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const s = actor.session;
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, s.userId));
  const started = await beginAuthenticatorEnrolment(s.userId, s.username ?? user?.email ?? "MyAccount");
  if (!started.ok) return fail(started.code);
  return ok({ secret: started.secret, uri: started.uri, qrSvg: started.qrSvg });
}

export async function confirmAuthenticatorSetup(actor: ManageActor, code: string): Promise<Outcome<FactorAdded>> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const { userId } = actor.session;
  return inTransaction(async (tx) => {
    const wasOn = await hasSecondFactor(userId, tx);
    const result = await confirmAuthenticatorEnrolment(tx, userId, code);
    // A wrong code changed nothing; the form keeps the QR code for another try.
    if (result === "wrong") return fail("invalidInput", { code: ["twoStepCodeWrong"] });
    if (result === "none") throw new Refused("authenticatorEnrolmentExpired");
    const [app] = await tx
      .select({ createdAt: authenticatorApps.createdAt })
      .from(authenticatorApps)
      .where(eq(authenticatorApps.userId, userId));
    const codes = await codesIfFirst(tx, userId, wasOn);
    await consequences(tx, actor, { kind: "authenticator_added", at: app?.createdAt ?? new Date() });
    return ok({ recoveryCodes: codes }, "Your authenticator app is set up.");
  });
}

export async function removeOwnAuthenticator(actor: ManageActor): Promise<Outcome> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const { userId } = actor.session;
  return inTransaction(async (tx) => {
    const [app] = await tx
      .select({ confirmedAt: authenticatorApps.confirmedAt })
      .from(authenticatorApps)
      .where(eq(authenticatorApps.userId, userId));
    if (!app?.confirmedAt || !(await removeAuthenticator(tx, userId))) throw new Refused("factorNotFound");
    const stillOn = await afterRemoval(tx, actor);
    await consequences(tx, actor, { kind: "authenticator_removed", at: new Date() }, { twoStepOn: stillOn });
    return ok(undefined, `The authenticator app was removed.${stillOn ? "" : " Two-step sign-in is now off."}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

/** A new set of ten; the old set stops working in the same transaction. */
export async function regenerateRecoveryCodes(actor: ManageActor): Promise<Outcome<{ recoveryCodes: string[] }>> {
  const stale = needsFreshVerification(actor);
  if (stale) return stale;
  const { userId } = actor.session;
  return inTransaction(async (tx) => {
    if (!(await hasSecondFactor(userId, tx))) throw new Refused("recoveryCodesNeedFactor");
    const codes = await issueRecoveryCodes(tx, userId);
    await consequences(tx, actor, { kind: "recovery_codes_regenerated", at: new Date() });
    return ok({ recoveryCodes: codes }, "Your new recovery codes are below. The old ones no longer work.");
  });
}

// ---------------------------------------------------------------------------------------------
// What the security pages show

/** The two-step section's data, times in the viewer's zone (names and dates, never secrets). */
export async function twoStepStatus(session: ActiveSession, device: { browser: string; os: string } | null) {
  const summary = await factorSummary(session.userId);
  const at = (d: Date) => formatDateTime(d, session.timeZone);
  return {
    staff: session.role !== "customer",
    passkeys: summary.passkeys.map((p) => ({
      id: p.id,
      name: p.name,
      added: at(p.createdAt),
      lastUsed: p.lastUsedAt ? at(p.lastUsedAt) : null,
      backedUp: p.backedUp,
    })),
    authenticator: summary.authenticator
      ? {
          added: at(summary.authenticator.confirmedAt),
          lastUsed: summary.authenticator.lastUsedAt ? at(summary.authenticator.lastUsedAt) : null,
        }
      : null,
    recoveryCodes: summary.recoveryCodes
      ? { unused: summary.recoveryCodes.unused, created: at(summary.recoveryCodes.issuedAt) }
      : null,
    defaultPasskeyName: defaultPasskeyName(device?.browser ?? "", device?.os ?? ""),
  };
}

/** Whether the person has a passkey: the sensitive-change forms offer "Use a passkey instead" only then. */
export async function hasPasskey(userId: string): Promise<boolean> {
  const rows = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
  return rows.length > 0;
}
