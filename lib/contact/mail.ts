import "server-only";
import { CONTACT_REPLY_TIME, CUSTOMER_SERVICE_HOURS, CUSTOMER_SERVICE_PHONE } from "./details";
import { BRAND_NAME } from "@/lib/brand";

// The acknowledgement goes to an address nobody has confirmed, so it carries only our own words,
// the chosen topic (one of a fixed list) and the request number: never the name or message typed,
// which would let anyone send their text to anyone in our name.
export function contactAcknowledgementMail(input: { topic: string; requestNumber: string }) {
  return {
    subject: `We received your message (request ${input.requestNumber})`,
    text: `Hello,

Thank you for contacting ${BRAND_NAME}. We received your message about "${input.topic}".
Your request number is ${input.requestNumber}.

A customer service representative will reply to this address ${CONTACT_REPLY_TIME}. If you write to us again about the same thing, please mention the request number.

If it is urgent, call us at ${CUSTOMER_SERVICE_PHONE}, ${CUSTOMER_SERVICE_HOURS}.

If you did not write to us, you can ignore this e-mail.`,
  };
}
