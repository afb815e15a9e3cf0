import { z } from "zod/mini";
import { emailChangeSchema } from "@/lib/profile/schema";

// Client-safe: the customer page's forms (components/console/customer) import it.

/**
 * The e-mail change a rep requests for a customer: the customer's form without "your current
 * password" (a rep never knows it). The link to the new address is what proves it is theirs.
 */
export const onBehalfEmailSchema = z.omit(emailChangeSchema, { currentPassword: true });
export type OnBehalfEmailInput = z.output<typeof onBehalfEmailSchema>;
