import "server-only";
import { desc } from "drizzle-orm";
import { db } from "@/db/client";
import { devMailbox } from "@/db/schema";
import { localMailboxConfigured } from "@/lib/env";

/**
 * The local mailbox answers only when configured (see localMailboxConfigured: loopback-only
 * server, no SMTP) and only to loopback clients. The client-address check alone would not do:
 * Next fetches a server action's redirect target from this same process, over loopback.
 */
export function localMailboxEnabled(clientIp: string): boolean {
  return localMailboxConfigured() && (clientIp === "127.0.0.1" || clientIp === "::1");
}

export function latestLocalMail(limit = 50) {
  return db
    .select({
      id: devMailbox.id,
      fromAddress: devMailbox.fromAddress,
      toAddress: devMailbox.toAddress,
      subject: devMailbox.subject,
      textBody: devMailbox.textBody,
      htmlBody: devMailbox.htmlBody,
      receivedAt: devMailbox.receivedAt,
    })
    .from(devMailbox)
    .orderBy(desc(devMailbox.id))
    .limit(limit);
}
