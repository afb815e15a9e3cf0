import "server-only";
import { db } from "@/db/client";
import { contactRequests } from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { reserveMail } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { hitRateLimits } from "@/lib/rate/limit";
import { contactAcknowledgementMail } from "./mail";
import { contactRequestNumber, type ContactRequestInput, type ContactSubmitted } from "./schema";
import { CONTACT_REPLY_TIME } from "./details";

/** Contact Us: 5 messages per client address per hour (docs/support-chat.md, Limits). */
export const CONTACT_LIMIT_PER_HOUR = 5;

export type ContactSender = {
  /** The signed-in customer, from the session (never from the form), or null for a visitor. */
  userId: string | null;
  /** The client address server.ts decided. */
  ip: string;
};

/**
 * Stores a Contact Us request for the reps and queues its acknowledgement mail, in one
 * transaction. Refused, with nothing stored, once the client address has sent its share.
 */
export async function submitContactRequest(
  input: ContactRequestInput,
  sender: ContactSender,
): Promise<Outcome<ContactSubmitted>> {
  const wait = await hitRateLimits([
    { key: `contact:ip:${sender.ip}`, max: CONTACT_LIMIT_PER_HOUR, windowSeconds: 3600 },
  ]);
  if (wait > 0) return fail({ code: "contactLimit", retryAfterSeconds: wait });
  // The copy goes to whatever address was typed: limited per sender and per recipient too, so
  // the form cannot be used to flood someone else's inbox.
  const mailWait = await reserveMail(sender.userId ? { userId: sender.userId } : { ip: sender.ip }, input.email);
  if (mailWait > 0) return fail({ code: "mailLimit", retryAfterSeconds: mailWait });

  const requestNumber = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contactRequests)
      .values({
        userId: sender.userId,
        name: input.name,
        email: input.email,
        accountNumber: input.accountNumber,
        topic: input.topic,
        message: input.message,
        ip: sender.ip,
      })
      .returning({ id: contactRequests.id });
    const number = contactRequestNumber(row.id);
    await queueMail(tx, {
      to: input.email,
      ...contactAcknowledgementMail({ topic: input.topic, requestNumber: number }),
      ...(sender.userId && { userId: sender.userId }),
    });
    return number;
  });

  return ok(
    { requestNumber, email: input.email },
    `Thank you — we received your message. Your request number is ${requestNumber}. We sent a confirmation to ${input.email} and will reply ${CONTACT_REPLY_TIME}.`,
  );
}
