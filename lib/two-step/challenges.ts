import "server-only";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db/client";
import { webauthnChallenges } from "@/db/schema";

/** What a challenge was issued for; a challenge is only ever redeemed for the same purpose. */
export type ChallengePurpose = "register" | "sign_in" | "second_step" | "reauth";

/** Long enough to find a security key or a phone; the options' `timeout` says the same to the browser. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Who a challenge belongs to. Absent fields mean "nobody": a sign-in challenge is bound to no user or session. */
export type ChallengeBinding = { userId?: string; sessionId?: string };

/**
 * Keeps a challenge until its response comes back (any instance may receive it). Expired rows are
 * swept here, on the way in, so the table stays as small as the number of ceremonies in flight.
 */
export async function storeChallenge(
  tx: DbOrTx,
  challenge: string,
  purpose: ChallengePurpose,
  binding: ChallengeBinding,
): Promise<void> {
  await tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
  await tx.insert(webauthnChallenges).values({
    challenge,
    purpose,
    userId: binding.userId ?? null,
    sessionId: binding.sessionId ?? null,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
}

/**
 * Redeems a challenge once: the DELETE that finds it also consumes it, so two requests racing with
 * one response cannot both succeed. Only an unexpired challenge of this purpose and exactly this
 * binding (same user and session, or none when none was bound) is found. True when it was found.
 */
export async function redeemChallenge(
  challenge: string,
  purpose: ChallengePurpose,
  binding: ChallengeBinding,
  tx: DbOrTx = db,
): Promise<boolean> {
  const rows = await tx
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        sql`${webauthnChallenges.expiresAt} > now()`,
        binding.userId ? eq(webauthnChallenges.userId, binding.userId) : isNull(webauthnChallenges.userId),
        binding.sessionId ? eq(webauthnChallenges.sessionId, binding.sessionId) : isNull(webauthnChallenges.sessionId),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  return rows.length === 1;
}

/**
 * The challenge a WebAuthn response answers, read from its clientDataJSON (base64url JSON). Used to
 * find the stored row; the library then checks the response against it. Null for anything malformed.
 */
export function challengeOf(response: unknown): string | null {
  if (typeof response !== "object" || response === null) return null;
  const inner = (response as { response?: unknown }).response;
  if (typeof inner !== "object" || inner === null) return null;
  const clientDataJSON = (inner as { clientDataJSON?: unknown }).clientDataJSON;
  if (typeof clientDataJSON !== "string" || clientDataJSON.length > 4096) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" && challenge.length > 0 && challenge.length <= 256 ? challenge : null;
  } catch {
    return null;
  }
}
