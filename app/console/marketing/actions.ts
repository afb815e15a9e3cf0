"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { sendTestNewsletter } from "@/lib/marketing/mail";
import {
  cancelNewsletter,
  previewDigest,
  previewNewsletter,
  scheduleInstant,
  startNewsletter,
  type NewsletterActionData,
} from "@/lib/marketing/newsletter";
import { cancelNewsletterSchema, newsletterSchema } from "@/lib/marketing/schema";

/** Compose → Preview → (Send a test to me) → Send now or schedule; each step is one intent. */
export const newsletterAction = secureAction(
  { schema: newsletterSchema, capability: "marketing", httpsOnly: true },
  async (input, { session, request }): Promise<Outcome<NewsletterActionData>> => {
    if (input.intent === "preview") {
      const preview = await previewNewsletter(input, session);
      return preview.ok ? ok({ preview: preview.data }) : preview;
    }
    if (input.intent === "test") {
      const sent = await sendTestNewsletter(input, { userId: session.userId, ip: request.clientIp });
      if (!sent.ok) return sent;
      // The preview stays on screen: a test changes nothing about what will be sent.
      const preview = await previewNewsletter(input, session);
      return ok(
        { testTo: sent.data.to, ...(preview.ok && { preview: preview.data }) },
        `A test was sent to ${sent.data.to}. It is marked as a test and not counted in the figures.`,
      );
    }
    if (!input.sendKey || input.previewDigest !== previewDigest(input)) return fail("newsletterPreviewStale");
    let scheduledAt: Date | null = null;
    if (input.when === "later") {
      const at = scheduleInstant(input.sendAt, session.timeZone);
      if (!at.ok) return at;
      scheduledAt = at.data;
    }
    const started = await startNewsletter(
      { ...input, sendKey: input.sendKey, scheduledAt },
      { actorId: session.userId, ip: request.clientIp, timeZone: session.timeZone },
    );
    revalidatePath("/console/marketing");
    return started.ok ? ok({ id: started.data.id, sent: true }, started.message) : started;
  },
);

/** Cancels a scheduled send until it starts (then "It has already started"). */
export const cancelNewsletterAction = secureAction(
  { schema: cancelNewsletterSchema, capability: "marketing", httpsOnly: true },
  async (input, { session, request }): Promise<Outcome<{ id: string }>> => {
    const result = await cancelNewsletter(input.newsletterId, { actorId: session.userId, ip: request.clientIp });
    revalidatePath("/console/marketing");
    return result;
  },
);
