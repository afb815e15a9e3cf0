import "server-only";
import { mailOutbox } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { renderMailHtml } from "./render";

type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  /** Marketing mail must name the recipient and topic: consent is checked again at send time. */
  mailClass?: "transactional" | "marketing";
  userId?: string;
  topicId?: string;
};

/**
 * Queues a mail in the same transaction as the change that causes it: if the change rolls back,
 * no mail goes out; if it commits, the worker delivers it at least once. Transactional mail gets
 * an HTML part made from its text; marketing mail stays as its sender wrote it.
 */
export async function queueMail(tx: DbOrTx, mail: OutgoingMail): Promise<void> {
  await tx.insert(mailOutbox).values({
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.mailClass === "marketing" ? null : renderMailHtml(mail.subject, mail.text),
    mailClass: mail.mailClass ?? "transactional",
    userId: mail.userId,
    topicId: mail.topicId,
  });
}
