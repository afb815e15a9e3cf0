import { z } from "zod/mini";

export const newsletterSchema = z.object({
  topicId: z.string().check(z.minLength(1, "Choose a topic"), z.maxLength(40)),
  subject: z
    .string()
    .check(z.trim(), z.minLength(1, "Enter a subject"), z.maxLength(150, "Use at most 150 characters")),
  body: z
    .string()
    .check(z.trim(), z.minLength(1, "Write the message"), z.maxLength(20000, "Use at most 20,000 characters")),
  /** "preview" shows what will be sent; "send" queues it. */
  intent: z.enum(["preview", "send"]),
  /** Digest of the preview shown (topic, subject, body): a send must be exactly what was previewed. */
  previewDigest: z.optional(z.string().check(z.maxLength(64))),
});
