import "server-only";
import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { hitRateLimits, type RateLimit } from "@/lib/rate/limit";

/**
 * Who asked for a mail: a signed-in person by user id, a visitor on a public form (registration,
 * password reset) by client address, since that is all we know of them.
 */
export type MailSender = { userId: string } | { ip: string };

const HOUR = 3600;

/**
 * The recipient key is a hash so the counters table holds no address in the clear; lower-cased
 * because mail providers treat `Jane@x` and `jane@x` as the same inbox.
 */
export function recipientKey(address: string): string {
  return `mail:to:${createHash("sha256").update(address.trim().toLowerCase()).digest("hex").slice(0, 32)}`;
}

export function mailLimits(sender: MailSender, to: string): RateLimit[] {
  const e = env();
  const bySender: RateLimit =
    "userId" in sender
      ? { key: `mail:user:${sender.userId}`, max: e.MAIL_LIMIT_PER_USER_PER_HOUR, windowSeconds: HOUR }
      : { key: `mail:ip:${sender.ip}`, max: e.MAIL_LIMIT_PER_IP_PER_HOUR, windowSeconds: HOUR };
  return [bySender, { key: recipientKey(to), max: e.MAIL_LIMIT_PER_RECIPIENT_PER_HOUR, windowSeconds: HOUR }];
}

/**
 * Counts one mail a user action is about to queue, against its sender and its recipient. Returns
 * 0 when it may be queued, else the seconds until both have room. Counted in the database
 * (lib/rate/limit.ts), so every instance shares the count, and before the transaction that
 * queues it, so parallel requests cannot all slip under the limit. A refused mail still counts:
 * whoever keeps hammering stays refused until they stop for an hour.
 */
export function reserveMail(sender: MailSender, to: string): Promise<number> {
  return hitRateLimits(mailLimits(sender, to));
}
