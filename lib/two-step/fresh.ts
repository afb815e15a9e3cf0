import "server-only";
import { db } from "@/db/client";
import { fail, ok, type Outcome, type Refusal } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { checkCurrentPassword } from "@/lib/auth/current-password";
import { markReauthenticated, type ActiveSession } from "@/lib/auth/sessions";
import { passkeyAuthenticationOptions, verifyPasskeyAssertion } from "./passkeys";

/**
 * "Fresh verification": the person proved it is them in this session (password or passkey) within
 * the last 5 minutes. A stolen session cookie alone then cannot add an intruder's factor, remove
 * the owner's, or change the password: each needs something only the owner has, recently.
 */
export const FRESH_VERIFICATION_MS = 5 * 60_000;

/** Signing in counts (completeSession and createSession set reauthenticatedAt), as does "Confirm it's you". */
export function isFreshlyVerified(
  session: Pick<ActiveSession, "reauthenticatedAt">,
  now: number = Date.now(),
): boolean {
  const at = session.reauthenticatedAt.getTime();
  return at <= now + 60_000 && now - at <= FRESH_VERIFICATION_MS;
}

/**
 * For sensitive changes (e-mail, password, payment): the current password, or a passkey
 * confirmation made in this session within 5 minutes. A typed password always wins (it is checked,
 * rate-limited, even when a passkey confirmation is fresh), so the no-JS form behaves as before.
 * Only a *passkey* confirmation stands in for the password: a fresh password sign-in does not,
 * or the field would be skippable for five minutes after every sign-in.
 */
export async function confirmSensitiveChange(
  session: Pick<ActiveSession, "userId" | "reauthenticatedAt" | "reauthenticatedBy">,
  currentPassword: string,
): Promise<Refusal | null> {
  if (currentPassword) return checkCurrentPassword(session.userId, currentPassword);
  if (session.reauthenticatedBy === "passkey" && isFreshlyVerified(session)) return null;
  return fail("invalidInput", { currentPassword: ["currentPasswordNeeded"] });
}

export type ReauthActor = { session: ActiveSession; ip: string };

/** "Confirm it's you" with the password: limited like every other current-password check. */
export async function reauthenticateWithPassword(actor: ReauthActor, password: string): Promise<Outcome> {
  const refused = await checkCurrentPassword(actor.session.userId, password);
  if (refused) return refused;
  await confirmed(actor, "password");
  return ok(undefined, "Thanks — you can make changes for the next 5 minutes.");
}

/** The ceremony's options, bound to this person and this session (another session cannot use the answer). */
export function reauthPasskeyOptions(session: ActiveSession) {
  return passkeyAuthenticationOptions("reauth", { userId: session.userId, sessionId: session.sessionId });
}

/** "Confirm it's you" (or "Use a passkey instead") with one of the person's own passkeys. */
export async function reauthenticateWithPasskey(actor: ReauthActor, response: unknown): Promise<Outcome> {
  const verified = await verifyPasskeyAssertion("reauth", response, {
    userId: actor.session.userId,
    sessionId: actor.session.sessionId,
  });
  if (!verified || verified.userId !== actor.session.userId) return fail("passkeyFailed");
  await confirmed(actor, "passkey");
  return ok(undefined, "Confirmed with your passkey.");
}

async function confirmed(actor: ReauthActor, by: "password" | "passkey"): Promise<void> {
  await db.transaction(async (tx) => {
    await markReauthenticated(tx, actor.session.sessionId, by);
    await recordAudit(tx, {
      actorId: actor.session.userId,
      subjectUserId: actor.session.userId,
      action: "auth.reauthenticated",
      detail: { by },
      ip: actor.ip,
    });
  });
}
