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
export type MailTransport = {
  name: string;
  send(mail: Envelope): Promise<void>;
  /** How many sends it makes at once (the worker keeps that many in flight; 1 when unset). */
  concurrency?: number;
  /** Ends the pooled connections (when the worker stops). */
  close?(): void;
};

/**
 * The SMTP options every sender uses: the worker here, and the bench's bare nodemailer loop it is
 * compared with. A pool of a few connections, each reused for up to maxMessages mails: a new TCP
 * (and TLS) handshake and EHLO per mail would cost more than the mail itself, and one connection
 * alone would leave the server idle while the worker does its database round trips.
 * Timeouts well inside the worker's lease on a claimed row (see worker.ts), so a hung server
 * fails the attempt instead of letting another instance send the same mail again.
 */
export const SMTP_OPTIONS = {
  pool: true,
  maxConnections: 4,
  maxMessages: 500,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
} as const;

/** SMTP when SMTP_URL is set; otherwise the local mailbox table shown at /dev/mailbox. */
export function createTransport(smtpUrl = env().SMTP_URL): MailTransport {
  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpUrl, SMTP_OPTIONS);
    return {
      name: "smtp",
      concurrency: SMTP_OPTIONS.maxConnections,
      async send(mail) {
        await smtp.sendMail(mail);
      },
      close() {
        smtp.close();
      },
    };
  }
  return {
    name: "local-mailbox",
    concurrency: 4,
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
