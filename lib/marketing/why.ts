import type { ConsentSource } from "@/db/schema";
import { BRAND_NAME } from "@/lib/brand";
import { formatDate } from "@/lib/format";

/**
 * The "Why did I get this?" line of a marketing mail: the person's own current opt-in, read from
 * subscriptions (source and opted_in_at are those of the event that granted it). One wording per
 * place a yes is recorded, so the customer recognises it:
 * - account: E-mail preferences on Edit Profile (app/account/profile/actions.ts);
 * - register: the opt-in box of the registration form (lib/auth/register.ts);
 * - rep: customer service recorded it, with a reason (lib/console/customer-act.ts);
 * - chat: the customer accepted a proposal in a support chat (lib/chat/proposals.ts);
 * - resubscribe: "Subscribe again" on the page an unsubscribe link opens (lib/preferences/unsubscribe.ts);
 * - email-link and one-click: today these only ever withdraw (the unsubscribe page's buttons, the
 *   RFC 8058 POST), so a yes from them is not expected; worded anyway, should one ever grant.
 * The date is the calendar day in the recipient's time zone. Client-safe (no server imports).
 */
export function consentLine(c: {
  topicName: string;
  source: ConsentSource;
  optedInAt: Date;
  timeZone: string;
}): string {
  const topic = c.topicName;
  const on = `on ${formatDate(c.optedInAt, c.timeZone)}`;
  switch (c.source) {
    case "account":
      return `You said yes to ${topic} ${on} in your ${BRAND_NAME} MyAccount e-mail preferences.`;
    case "register":
      return `You said yes to ${topic} ${on} when you registered for ${BRAND_NAME} MyAccount.`;
    case "rep":
      return `You said yes to ${topic} ${on} to our customer service, who recorded it for you.`;
    case "chat":
      return `You said yes to ${topic} ${on} in a support chat with ${BRAND_NAME}.`;
    case "resubscribe":
      return `You subscribed again to ${topic} ${on}, on the page an unsubscribe link in one of our e-mails opened.`;
    case "email-link":
      return `You said yes to ${topic} ${on} through a link in one of our e-mails.`;
    case "one-click":
      return `You said yes to ${topic} ${on} with one click on a link in one of our e-mails.`;
  }
}
