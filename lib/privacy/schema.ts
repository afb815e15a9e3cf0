import { z } from "zod/mini";

// Shared by the privacy centre's forms (zodResolver) and their server actions.

/** Products in your area: the button posts the state wanted. */
export const areaOffersSchema = z.object({ enabled: z.enum(["on", "off"], "Choose on or off") });

/**
 * Closing an account: the password again (a stolen session alone cannot close it) and a tick that
 * says the customer read what closing does.
 */
export const closeAccountSchema = z.object({
  currentPassword: z.string().check(z.minLength(1, "Enter your password"), z.maxLength(128)),
  confirm: z.literal("on", "Tick the box to confirm that you want to close your account"),
});
