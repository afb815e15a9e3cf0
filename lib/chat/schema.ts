import { z } from "zod/mini";
import { text } from "@/lib/auth/schema";
import { CONTACT_TOPICS } from "@/lib/contact/schema";

// The chat's request bodies: shared by the widget, the rep console and the route handlers.
// Client-safe: imports nothing from the server.

export const CHAT_MESSAGE_MAX = 2000;

const messageBody = text(
  CHAT_MESSAGE_MAX,
  `Use at most ${CHAT_MESSAGE_MAX.toLocaleString("en-US")} characters`,
  "Write a message",
);
const conversationId = z.coerce.number().check(z.int(), z.positive());

/** Chat topics are the Contact Us topics: reps see one vocabulary. Empty = not said. */
export const CHAT_TOPICS = CONTACT_TOPICS;

/**
 * Starting a chat. A visitor's name and e-mail are required (checked with the caller known, in
 * lib/chat/conversations.ts); a signed-in customer's come from the session and are ignored here.
 */
export const chatStartSchema = z.object({
  name: z._default(text(100, "Use at most 100 characters"), ""),
  email: z._default(
    z.union([z.literal(""), z.pipe(text(254, "Use at most 254 characters"), z.email("Enter a valid e-mail address"))]),
    "",
  ),
  accountNumber: z._default(
    z
      .string()
      .check(z.trim(), z.regex(/^(\d{10})?$/, "Enter the 10-digit account number from your bill, or leave it empty")),
    "",
  ),
  topic: z._default(z.union([z.literal(""), z.enum(CHAT_TOPICS, "Choose a topic from the list")]), ""),
  message: messageBody,
});
export type ChatStartInput = z.output<typeof chatStartSchema>;

export const chatSendSchema = z.object({ conversationId, body: messageBody });
export const chatIdSchema = z.object({ conversationId });

export const chatCloseSchema = z.object({
  conversationId,
  reason: z._default(text(200, "Use at most 200 characters"), ""),
});

export const presenceSchema = z.object({ away: z.boolean() });

const proposalId = z.coerce.number().check(z.int(), z.positive());
export const proposalAnswerSchema = z.object({ proposalId, answer: z.enum(["approve", "decline"]) });
export const proposalWithdrawSchema = z.object({ proposalId });

/** What a rep may propose in a chat; the customer approves it before anything changes. */
export const proposalSchema = z.discriminatedUnion("field", [
  z.object({
    conversationId,
    field: z.literal("phone"),
    phone: text(25, "Use at most 25 characters", "Enter the phone number"),
  }),
  z.object({
    conversationId,
    field: z.literal("address"),
    line1: text(100, "Use at most 100 characters", "Enter the street address"),
    line2: z._default(text(100, "Use at most 100 characters"), ""),
    city: text(60, "Use at most 60 characters", "Enter the city"),
    state: text(2, "Choose a US state", "Choose a US state"),
    zip: z.string().check(z.trim(), z.regex(/^\d{5}(-\d{4})?$/, "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)")),
  }),
  z.object({ conversationId, field: z.literal("offers"), optIn: z.enum(["yes", "no"]) }),
]);
export type ProposalInput = z.output<typeof proposalSchema>;
