import { z } from "zod/mini";
import { text } from "@/lib/auth/schema";

// Contact Us: one schema for the form (zodResolver), the action and the chat panel's inline form.
// Client-safe: imports nothing from the server.

/** The topics a customer chooses from; reps see the same words in the console. */
export const CONTACT_TOPICS = [
  "Billing",
  "Service or outage",
  "Moving or changing service",
  "Privacy question",
  "Something else",
] as const;

export type ContactTopic = (typeof CONTACT_TOPICS)[number];

export const CONTACT_MESSAGE_MAX = 2000;

export const contactRequestSchema = z.object({
  name: text(100, "Use at most 100 characters", "Enter your name"),
  email: z.pipe(
    text(254, "Use at most 254 characters", "Enter your e-mail address"),
    z.email("Enter a valid e-mail address, such as name@example.com"),
  ),
  // Optional: a visitor may not have it at hand. Account numbers are 10 digits (see the bill).
  accountNumber: z._default(
    z
      .string()
      .check(z.trim(), z.regex(/^(\d{10})?$/, "Enter the 10-digit account number from your bill, or leave it empty")),
    "",
  ),
  topic: z.enum(CONTACT_TOPICS, { error: "Choose a topic" }),
  // A posted form sends each line break as \r\n while the browser counts it as one character:
  // count them the way the person typing sees them.
  message: z.string().check(
    z.overwrite((v) => v.replace(/\r\n?/g, "\n")),
    z.trim(),
    z.minLength(1, "Enter your message"),
    z.maxLength(CONTACT_MESSAGE_MAX, `Use at most ${CONTACT_MESSAGE_MAX.toLocaleString("en-US")} characters`),
  ),
});

export type ContactRequestInput = z.output<typeof contactRequestSchema>;

/** What the form, the acknowledgement mail and the console call a request: "#123". */
export function contactRequestNumber(id: number): string {
  return `#${id}`;
}

/** What a successful submission returns to the form. */
export type ContactSubmitted = { requestNumber: string; email: string };

/** What the form starts with: a signed-in customer's name, e-mail and account number, else empty. */
export type ContactDefaults = { name: string; email: string; accountNumber: string };
