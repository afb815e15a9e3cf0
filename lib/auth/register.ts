import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod/mini";
import { db } from "@/db/client";
import { addresses, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { afterAnswer, type Later } from "@/lib/mail/later";
import { reserveMail } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { registrationAddressTakenMail, registrationConfirmMail } from "@/lib/mail/templates";
import { recordConsent } from "@/lib/preferences/consent";
import { sendConfirmationLink } from "@/lib/profile/email-change";
import { refuseCommonPassword } from "./common-passwords";
import { hashPassword } from "./password-hash";
import type { registerSchema } from "./schema";
import { registerLimits, releaseAttempt, reserveAttempt } from "./throttle";
import { isEmailTaken, isUsernameTaken } from "./user-lookup";

/**
 * Links an existing customer record (found by account number + service ZIP) to a new online
 * login. The record must not already have one. The caller has already checked "13 or older";
 * nothing about a person who is not reaches this function; the caller then signs the customer in.
 *
 * The answer must not tell whether the e-mail address typed belongs to a customer, in its words or
 * its time: the address is dealt with after answering (`later`). A free address waits for
 * confirmation (an e-mail change request and its link); a taken one gets a mail saying someone
 * tried, and the account is registered without an address. A taken username may be said: it is a
 * public handle, and only someone who knows a valid account number + ZIP gets that far.
 */
export async function registerCustomer(
  input: z.infer<typeof registerSchema>,
  meta: { ip: string; userAgent?: string },
  later: Later = afterAnswer,
): Promise<Outcome<{ username: string }>> {
  const common = refuseCommonPassword(input.password);
  if (common) return common;
  // Account number + ZIP must not be guessable by brute force: attempts per address and per
  // account number are limited.
  const limits = registerLimits(meta.ip, input.accountNumber);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail({ code: "tooManyAttempts", of: "registration", retryAfterSeconds: wait });
  // Hashed on every path, a match or not, so the time taken does not tell them apart.
  const passwordHash = await hashPassword(input.password);
  const zip5 = input.serviceZip.slice(0, 5);
  const result = await db.transaction(async (tx): Promise<Outcome<{ id: string; username: string }>> => {
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
    if (await isUsernameTaken(tx, input.username)) return fail("invalidInput", { username: ["usernameTaken"] });
    await tx
      .update(users)
      .set({
        username: input.username,
        // The account has no e-mail address until the customer confirms one from the mail.
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
    return ok({ id: customer.id, username: input.username });
  });
  if (!result.ok) return result;
  await releaseAttempt(limits);
  const { id, username } = result.data;
  later(() => mailRegistrationAddress(id, username, input.email, meta.ip));
  return ok({ username });
}

/**
 * The address typed at registration, dealt with after answering. Limited per client address and
 * per recipient like every mail a visitor's form sends, silently: past the limit nothing is
 * queued, and the registration stands without an address.
 */
async function mailRegistrationAddress(userId: string, username: string, email: string, ip: string): Promise<void> {
  if ((await reserveMail({ ip }, email)) > 0) return;
  await db.transaction(async (tx) => {
    if (await isEmailTaken(tx, email, userId)) {
      await queueMail(tx, { to: email, ...registrationAddressTakenMail() });
      return;
    }
    await sendConfirmationLink(tx, userId, email, (link) => registrationConfirmMail(username, link));
  });
}
