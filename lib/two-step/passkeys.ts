import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { db, type DbOrTx } from "@/db/client";
import { passkeys, users } from "@/db/schema";
import { CHALLENGE_TTL_MS, challengeOf, redeemChallenge, storeChallenge } from "@/lib/two-step/challenges";
import { relyingParty } from "@/lib/two-step/webauthn-config";

export type PasskeyPurpose = "sign_in" | "second_step" | "reauth";

export const PASSKEY_NAME_MAX = 60;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The WebAuthn user handle is the user's uuid as 16 bytes: a discoverable sign-in hands it back,
 * and it must name the same person the credential belongs to. No personal data goes in it.
 */
function userHandleBytes(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ""), "hex"));
}

function userIdFromHandle(handle: string): string | null {
  const hex = Buffer.from(handle, "base64url").toString("hex");
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Trimmed, control characters out, at most 60 characters; null when nothing is left. */
function cleanName(name: string): string | null {
  const cleaned = [...name.replace(/[\u0000-\u001f\u007f]+/g, " ").trim()].slice(0, PASSKEY_NAME_MAX).join("").trim();
  return cleaned.length > 0 ? cleaned : null;
}

function splitTransports(value: string): string[] {
  return value ? value.split(",") : [];
}

function looksLikeCredential(
  response: unknown,
): response is { id: string; rawId: string; type: string; response: object } {
  if (typeof response !== "object" || response === null) return false;
  const r = response as Record<string, unknown>;
  return (
    typeof r.id === "string" &&
    r.id.length > 0 &&
    r.id.length <= 1024 &&
    typeof r.rawId === "string" &&
    r.type === "public-key" &&
    typeof r.response === "object" &&
    r.response !== null
  );
}

/**
 * Options for adding a passkey: a discoverable credential (residentKey "required", so it can be
 * the whole sign-in), no attestation (we trust no vendor list; a passkey is as good as the device
 * the person chose), and the person's existing passkeys excluded so one device is not added twice.
 * The challenge is bound to this user and session.
 */
export async function passkeyRegistrationOptions(input: {
  userId: string;
  userName: string;
  displayName: string;
  sessionId: string;
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty();
  const existing = await db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, input.userId));
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: input.userName,
    userID: userHandleBytes(input.userId),
    userDisplayName: input.displayName,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: splitTransports(c.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await storeChallenge(db, options.challenge, "register", { userId: input.userId, sessionId: input.sessionId });
  return options;
}

/**
 * Verifies the browser's answer to passkeyRegistrationOptions and stores the credential. The
 * challenge is consumed first (in `tx`), so an answer cannot be saved twice. User verification is
 * not required (security keys without a PIN, virtual authenticators) but reported.
 */
export async function savePasskey(
  tx: DbOrTx,
  input: { userId: string; sessionId: string; name: string; response: unknown },
): Promise<
  { ok: true; passkeyId: string; createdAt: Date; userVerified: boolean } | { ok: false; code: "passkeyFailed" }
> {
  const failed = { ok: false, code: "passkeyFailed" } as const;
  const name = cleanName(input.name);
  const challenge = challengeOf(input.response);
  if (!name || !challenge || !looksLikeCredential(input.response)) return failed;
  if (!(await redeemChallenge(challenge, "register", { userId: input.userId, sessionId: input.sessionId }, tx))) {
    return failed;
  }
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    return failed;
  }
  if (!verification.verified) return failed;
  const info = verification.registrationInfo;
  const rows = await tx
    .insert(passkeys)
    .values({
      userId: input.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      counter: info.credential.counter,
      transports: (info.credential.transports ?? []).join(","),
      name,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    })
    // The same credential registered already (by anyone): refused rather than moved.
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning({ id: passkeys.id, createdAt: passkeys.createdAt });
  if (rows.length === 0) return failed;
  return { ok: true, passkeyId: rows[0].id, createdAt: rows[0].createdAt, userVerified: info.userVerified };
}

/**
 * Options for using a passkey. sign_in is discoverable: no allowCredentials, no user, the browser
 * offers whichever passkeys it has for this site. second_step and reauth list the person's own
 * passkeys and bind the challenge to their user and session (both required).
 */
export async function passkeyAuthenticationOptions(
  purpose: PasskeyPurpose,
  opts: { userId?: string; sessionId?: string },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty();
  if (purpose === "sign_in") {
    const options = await generateAuthenticationOptions({
      rpID: rp.rpID,
      userVerification: "preferred",
      timeout: CHALLENGE_TTL_MS,
    });
    await storeChallenge(db, options.challenge, purpose, {});
    return options;
  }
  if (!opts.userId || !opts.sessionId) throw new Error(`A ${purpose} passkey challenge needs a user and a session`);
  const own = await db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, opts.userId));
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: own.map((c) => ({ id: c.credentialId, transports: splitTransports(c.transports) })),
    userVerification: "preferred",
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(db, options.challenge, purpose, { userId: opts.userId, sessionId: opts.sessionId });
  return options;
}

/**
 * Verifies an assertion: its challenge must be stored, unexpired, of this purpose and (for
 * second_step/reauth) bound to this user and session; it is consumed whatever happens next. The
 * credential must exist, belong to an account that is neither disabled nor closed, and for
 * second_step/reauth belong to opts.userId; for sign_in a user handle, when given, must name the
 * credential's owner. On success the signature counter and last use are updated. Null when
 * anything is off; the caller says one generic thing either way.
 */
export async function verifyPasskeyAssertion(
  purpose: PasskeyPurpose,
  response: unknown,
  opts: { userId?: string; sessionId?: string },
): Promise<{ userId: string; passkeyId: string; userVerified: boolean } | null> {
  if (purpose !== "sign_in" && (!opts.userId || !opts.sessionId)) return null;
  const challenge = challengeOf(response);
  if (!challenge || !looksLikeCredential(response)) return null;
  const binding = purpose === "sign_in" ? {} : { userId: opts.userId, sessionId: opts.sessionId };
  if (!(await redeemChallenge(challenge, purpose, binding))) return null;

  const [key] = await db
    .select({
      id: passkeys.id,
      userId: passkeys.userId,
      credentialId: passkeys.credentialId,
      publicKey: passkeys.publicKey,
      counter: passkeys.counter,
      transports: passkeys.transports,
    })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(and(eq(passkeys.credentialId, response.id), isNull(users.disabledAt), isNull(users.closedAt)));
  if (!key) return null;
  if (purpose !== "sign_in" && key.userId !== opts.userId) return null;
  const userHandle = (response.response as { userHandle?: unknown }).userHandle;
  if (typeof userHandle === "string" && userHandle !== "" && userIdFromHandle(userHandle) !== key.userId) return null;

  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: key.credentialId,
        publicKey: new Uint8Array(Buffer.from(key.publicKey, "base64url")),
        counter: key.counter,
        transports: splitTransports(key.transports),
      },
      requireUserVerification: false,
    });
  } catch {
    // Bad signature, wrong origin or RP, or a counter that went backwards (a cloned authenticator).
    return null;
  }
  if (!verification.verified) return null;
  const info = verification.authenticationInfo;
  await db
    .update(passkeys)
    .set({ counter: info.newCounter, backedUp: info.credentialBackedUp, lastUsedAt: sql`now()` })
    .where(eq(passkeys.id, key.id));
  return { userId: key.userId, passkeyId: key.id, userVerified: info.userVerified };
}

/** Renames one of the person's passkeys; false when it is not theirs or the name is empty. */
export async function renamePasskey(tx: DbOrTx, userId: string, passkeyId: string, name: string): Promise<boolean> {
  const cleaned = cleanName(name);
  if (!cleaned || !uuidPattern.test(passkeyId)) return false;
  const rows = await tx
    .update(passkeys)
    .set({ name: cleaned })
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return rows.length === 1;
}

/** Removes one of the person's passkeys; false when it is not theirs (or already gone). */
export async function removePasskey(tx: DbOrTx, userId: string, passkeyId: string): Promise<boolean> {
  if (!uuidPattern.test(passkeyId)) return false;
  const rows = await tx
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return rows.length === 1;
}
