import { z } from "zod/mini";
import { checkbox } from "@/lib/auth/schema";

/**
 * The banner's and the settings form's one post: "all" and "none" from the banner's buttons,
 * "custom" with the two boxes from a settings form, "gpc" from the Global Privacy Control notice.
 */
export const cookieChoiceSchema = z.object({
  choice: z.enum(["all", "none", "custom", "gpc"]),
  functional: checkbox,
  analytics: checkbox,
  /** Where the form was: "banner" or "settings" (a settings form reports a saved choice). */
  from: z.optional(z.enum(["banner", "settings"])),
  returnTo: z.optional(z.string().check(z.maxLength(512))),
});
