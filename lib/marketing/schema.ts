import { z } from "zod/mini";

// Client-safe: the composer checks these as the sender types; the action checks them again.

export const SUBJECT_MAX = 150;
export const BODY_MAX = 20_000;

export const newsletterSchema = z.object({
  topicId: z.string().check(z.minLength(1, "Choose a topic"), z.maxLength(40)),
  subject: z
    .string()
    .check(z.trim(), z.minLength(1, "Enter a subject"), z.maxLength(SUBJECT_MAX, "Use at most 150 characters")),
  body: z
    .string()
    .check(z.trim(), z.minLength(1, "Write the message"), z.maxLength(BODY_MAX, "Use at most 20,000 characters")),
  /** "preview" shows what will be sent; "test" sends it to the sender alone; "send" sends or schedules it. */
  intent: z.enum(["preview", "test", "send"]),
  /** Digest of the preview shown (topic, subject, body): a send must be exactly what was previewed. */
  previewDigest: z.optional(z.string().check(z.maxLength(64))),
  /**
   * Made with each preview and stored with the newsletter (unique): a second click of "Send", or
   * the same POST replayed, finds the newsletter it already made instead of making another.
   */
  sendKey: z.optional(z.string().check(z.maxLength(64))),
  /** Send at once, or at `sendAt`. */
  when: z.optional(z.enum(["now", "later"])),
  /** A datetime-local value ("2026-12-24T09:00"), a wall-clock time in the sender's time zone. */
  sendAt: z.optional(z.string().check(z.maxLength(20, "Enter a date and a time"))),
});

export const cancelNewsletterSchema = z.object({
  newsletterId: z.string().check(z.regex(/^[0-9a-f-]{36}$/i, "Unknown newsletter")),
});
