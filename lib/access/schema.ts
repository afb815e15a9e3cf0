import { z } from "zod/mini";
import { text } from "@/lib/auth/schema";

// Client-safe: the reason form of the chat side panel (and later the customer search) imports it.

/** Why a staff member opens a customer's personal data, as they choose it and as the customer reads it. */
export const accessReasons = {
  chat: "Customer request by chat",
  phone: "Customer request by phone",
  in_person: "Customer request in person",
  billing: "Billing question",
  integrity: "Service or network integrity",
  policy: "Suspected policy violation",
  lawful: "Lawful request",
  other: "Other",
} as const;
export type AccessReason = keyof typeof accessReasons;

const reasonKeys = Object.keys(accessReasons) as [AccessReason, ...AccessReason[]];

/** How long a grant lasts: for one customer, for one staff member. */
export const GRANT_MINUTES = 30;

const reasonShape = {
  reason: z.enum(reasonKeys, { error: "Choose a reason" }),
  reasonText: z._default(text(200, "Use at most 200 characters"), ""),
  reference: z._default(text(60, "Use at most 60 characters"), ""),
};

/** A lawful request names its register reference; "other" says what in words. */
const reasonComplete = z.superRefine((v: { reason: AccessReason; reasonText: string; reference: string }, ctx) => {
  if (v.reason === "other" && !v.reasonText) {
    ctx.addIssue({ code: "custom", path: ["reasonText"], message: "Say why you need this customer's data", input: v });
  }
  if (v.reason === "lawful" && !v.reference) {
    ctx.addIssue({ code: "custom", path: ["reference"], message: "Enter the register reference", input: v });
  }
});

/** The stated reason, as the customer search of the console will send it. */
export const accessReasonSchema = z.object(reasonShape).check(reasonComplete);
export type AccessReasonInput = z.output<typeof accessReasonSchema>;

/** The grant form of the chat side panel: the reason, for the customer of one conversation. */
export const chatAccessSchema = z
  .object({ ...reasonShape, conversationId: z.coerce.number().check(z.int(), z.positive()) })
  .check(reasonComplete);

/**
 * The reason in the customer's words: "Customer request by chat (chat #12)", "Other: <text>".
 * A lawful request's register reference stays with staff.
 */
export function describeAccessReason(reason: string, reasonText: string, chatId?: number | null): string {
  const label = Object.hasOwn(accessReasons, reason) ? accessReasons[reason as AccessReason] : "Other";
  if (reason === "other" && reasonText) return `${label}: ${reasonText}`;
  if (chatId) return `${label} (chat #${chatId})`;
  return label;
}

/** Which chat's side panel to show (the reason, if one is needed, comes with `chatAccessSchema`). */
export const chatPanelSchema = z.object({ conversationId: z.coerce.number().check(z.int(), z.positive()) });
