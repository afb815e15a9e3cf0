import { z } from "zod/mini";

/** The token of a "This wasn't me" or undo link, posted back by the page's button. */
export const recoveryTokenSchema = z.object({
  token: z.string().check(z.minLength(20, "This link is incomplete"), z.maxLength(200)),
});
