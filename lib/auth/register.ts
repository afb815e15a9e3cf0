import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod/mini";
import { db } from "@/db/client";
import { addresses, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import type { Message } from "@/lib/messages";
import { registrationConfirmMail } from "@/lib/mail/templates";
import { recordConsent } from "@/lib/preferences/consent";
import { sendConfirmationLink } from "@/lib/profile/email-change";
import { refuseCommonPassword } from "./common-passwords";
import { hashPassword } from "./password-hash";
import type { registerSchema } from "./schema";
import { registerLimits, releaseAttempt, reserveAttempt } from "./throttle";
import { isEmailTaken, isUsernameTaken } from "./user-lookup";

/**
 * Links an existing customer record (found by account number + service ZIP) to a new online
 * login. The record must not already have one. The e-mail address typed waits for confirmation
 * (an e-mail change request and its link); the caller then signs the customer in. The caller has already checked "13 or older";
 * nothing about a person who is not reaches this function.
 */
export async function registerCustomer(
  input: z.infer<typeof registerSchema>,
  meta: { ip: string; userAgent?: string },
): Promise<Outcome<{ username: string }>> {
  const common = refuseCommonPassword(input.password);
  if (common) return common;
  // Account number + ZIP must not be guessable by brute force: attempts per address are limited.
  const limits = registerLimits(meta.ip);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail({ code: "tooManyAttempts", of: "registration", retryAfterSeconds: wait });
  const passwordHash = await hashPassword(input.password);
  const zip5 = input.serviceZip.slice(0, 5);
  const result = await db.transaction(async (tx): Promise<Outcome<{ username: string }>> => {
    const [customer] = await tx
      .select({ id: users.id, username: users.username })
      .from(users)
      .innerJoin(addresses, and(eq(addresses.userId, users.id), eq(addresses.kind, "service")))
      .where(
        and(
          eq(users.accountNumber, input.accountNumber),
          eq(users.role, "customer"),
          sql`left(${addresses.zip}, 5) = ${zip5}`,
        ),
      )
      .for("update")
      .limit(1);
    if (!customer) return fail("registerNoMatch");
    if (customer.username) return fail("alreadyRegistered");
    const taken: Record<string, Message[]> = {};
    if (await isUsernameTaken(tx, input.username)) taken.username = ["usernameTaken"];
    if (await isEmailTaken(tx, input.email)) taken.email = ["emailTaken"];
    if (Object.keys(taken).length) return fail("invalidInput", taken);
    await tx
      .update(users)
      .set({
        username: input.username,
        // The address typed is pending until the customer confirms it from the mail, exactly
        // like an e-mail change: until then the account has no e-mail address.
        passwordHash,
        registeredAt: sql`now()`,
        passwordChangedAt: sql`now()`,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(users.id, customer.id), isNull(users.username)));
    await recordAudit(tx, {
      actorId: customer.id,
      subjectUserId: customer.id,
      action: "auth.registered",
      detail: { username: input.username },
      ip: meta.ip,
    });
    await sendConfirmationLink(tx, customer.id, input.email, (link) => registrationConfirmMail(input.username, link));
    // Opt-in is never pre-ticked; a tick is recorded in the consent ledger like any other choice.
    if (input.offers) {
      await recordConsent(tx, {
        userId: customer.id,
        topicId: "offers",
        action: "granted",
        source: "register",
        actorId: customer.id,
        ip: meta.ip,
        userAgent: meta.userAgent ?? "",
      });
    }
    return ok({ username: input.username });
  });
  if (result.ok) await releaseAttempt(limits);
  return result;
}
