import { z } from "zod/mini";

/**
 * The E-mail preferences form: the offers question as Yes/No (the policy's own words), and one
 * checkbox per other marketing topic, named `topic:<id>`. Unknown keys are ignored by the schema;
 * the server decides which topics exist.
 */
export const preferencesSchema = z.catchall(
  z.object({
    offers: z.enum(["yes", "no"], { error: "Choose Yes or No" }),
  }),
  // A ticked box: "on" from a browser form, true from react-hook-form; unticked: absent or false.
  z.union([z.string().check(z.maxLength(10)), z.boolean()]),
);

export type PreferencesInput = z.infer<typeof preferencesSchema>;

/** "Subscribe again" on the unsubscribe page: the link's token is the only credential. */
export const resubscribeSchema = z.object({
  token: z
    .string()
    .check(z.minLength(1, "This unsubscribe link isn't valid"), z.maxLength(200, "This unsubscribe link isn't valid")),
});
