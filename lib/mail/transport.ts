import "server-only";
import net from "node:net";
import nodemailer from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared";
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
 * compared with (bench/bare-mail-loop.ts).
 * - A pool of a few connections, each reused for up to maxMessages mails: a new TCP (and TLS)
 *   handshake and EHLO per mail would cost more than the mail itself.
 * - Sockets with Nagle's algorithm off (noDelaySocket): nodemailer writes a message and its final
 *   "." in separate small writes, and with Nagle on the last one waits for the server's delayed
 *   ACK, about 40 ms per mail on every connection (measured on loopback: 44 ms a mail, 1.5 ms
 *   without). smtp-server already does the same on its side.
 * - Timeouts well inside the worker's lease on a claimed row (see worker.ts), so a hung server
 *   fails the attempt instead of letting another instance send the same mail again.
 */
export const SMTP_OPTIONS = {
  pool: true,
  maxConnections: 4,
  maxMessages: 500,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
} as const;

type SocketCallback = (err: Error | null, socketOptions?: { connection: net.Socket }) => void;

/** nodemailer's getSocket hook: a connected TCP socket with TCP_NODELAY (TLS, if any, goes on top). */
function noDelaySocket(options: { host?: string; port?: number; secure?: boolean }, callback: SocketCallback) {
  const host = options.host ?? "localhost";
  const port = options.port ?? (options.secure ? 465 : 587);
  const socket = net.connect({ host, port, noDelay: true });
  const timer = setTimeout(
    () => socket.destroy(new Error(`Connection timeout to ${host}:${port}`)),
    SMTP_OPTIONS.connectionTimeout,
  );
  const failed = (err: Error) => {
    clearTimeout(timer);
    callback(err);
  };
  socket.once("error", failed);
  socket.once("connect", () => {
    clearTimeout(timer);
    socket.removeListener("error", failed);
    callback(null, { connection: socket });
  });
}

/**
 * nodemailer's transport options for an smtp:// or smtps:// URL with SMTP_OPTIONS. (Given a URL
 * string, createTransport takes its second argument as message defaults, not transport options;
 * so the URL is parsed here and the options added to it.)
 */
export function smtpTransportOptions(smtpUrl: string) {
  return { ...parseConnectionUrl(smtpUrl), ...SMTP_OPTIONS, getSocket: noDelaySocket };
}

/** SMTP when SMTP_URL is set; otherwise the local mailbox table shown at /dev/mailbox. */
export function createTransport(smtpUrl = env().SMTP_URL): MailTransport {
  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpTransportOptions(smtpUrl));
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
