import "server-only";
import nodemailer from "nodemailer";
import { devMailbox } from "@/db/schema";
import { db } from "@/db/client";
import { env } from "@/lib/env";

/** `html` set: sent as multipart/alternative (text first, then HTML), as nodemailer builds it. */
export type Envelope = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
};
export type MailTransport = { name: string; send(mail: Envelope): Promise<void> };

/** SMTP when SMTP_URL is set; otherwise the local mailbox table shown at /dev/mailbox. */
export function createTransport(smtpUrl = env().SMTP_URL): MailTransport {
  if (smtpUrl) {
    // Timeouts well inside the worker's lease on a claimed row (see worker.ts), so a hung server
    // fails the attempt instead of letting another instance send the same mail again.
    const smtp = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      name: "smtp",
      async send(mail) {
        await smtp.sendMail(mail);
      },
    };
  }
  return {
    name: "local-mailbox",
    async send(mail) {
      await db.insert(devMailbox).values({
        fromAddress: mail.from,
        toAddress: mail.to,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html ?? null,
        headers: mail.headers ?? {},
      });
    },
  };
}
