"use server";

import { revalidatePath } from "next/cache";
import { secureAction } from "@/lib/actions/secure-action";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { previewDigest, previewNewsletter, startNewsletter, type NewsletterPreview } from "@/lib/marketing/newsletter";
import { newsletterSchema } from "@/lib/marketing/schema";

export const newsletterAction = secureAction(
  { schema: newsletterSchema, capability: "marketing", httpsOnly: true },
  async (input, { session, request }): Promise<Outcome<{ preview?: NewsletterPreview; id?: string }>> => {
    if (input.intent === "preview") {
      const preview = await previewNewsletter(input);
      return preview.ok ? ok({ preview: preview.data }) : preview;
    }
    if (input.previewDigest !== previewDigest(input)) {
      return fail("newsletterPreviewStale");
    }
    const started = await startNewsletter(input, { actorId: session.userId, ip: request.clientIp });
    revalidatePath("/console/marketing");
    return started.ok ? ok({ id: started.data.id }, started.message) : started;
  },
);
