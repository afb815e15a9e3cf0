import { desc } from "drizzle-orm";
import { db } from "@/db/client";
import { devMailbox } from "@/db/schema";
import { env } from "@/lib/env";

/** The local mailbox exists only while no SMTP_URL is set, and only for loopback clients. */
export function localMailboxEnabled(clientIp: string): boolean {
  return !env().SMTP_URL && (clientIp === "127.0.0.1" || clientIp === "::1");
}

export function latestLocalMail(limit = 50) {
  return db
    .select({
      id: devMailbox.id,
      fromAddress: devMailbox.fromAddress,
      toAddress: devMailbox.toAddress,
      subject: devMailbox.subject,
      textBody: devMailbox.textBody,
      receivedAt: devMailbox.receivedAt,
    })
    .from(devMailbox)
    .orderBy(desc(devMailbox.id))
    .limit(limit);
}
