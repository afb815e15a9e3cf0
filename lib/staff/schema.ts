import { z } from "zod/mini";
import { text } from "@/lib/auth/schema";

// Client-safe: the admin's staff forms (zodResolver) and the server actions share these schemas.

/** The roles a staff account can hold. A customer is never made staff here, nor staff a customer. */
export const staffRoles = ["rep", "marketing", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffRoleNames: Record<StaffRole, string> = {
  rep: "Service rep",
  marketing: "Marketing",
  admin: "Administrator",
};

const role = z.enum(staffRoles, { error: "Choose a role: service rep, marketing or administrator" });

const name = (what: string) => text(80, "Use at most 80 characters", `Enter the ${what}`);

export const createStaffSchema = z.object({
  firstName: name("first name"),
  lastName: name("last name"),
  username: z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(3, "Use at least 3 characters"),
    z.maxLength(32, "Use at most 32 characters"),
    z.regex(/^[a-z0-9._-]+$/, "Use lower-case letters, digits, dots, hyphens and underscores only"),
    // Sign-in reads an all-digit name as an account number.
    z.refine((v) => !/^\d+$/.test(v), "A username cannot be only digits (those are account numbers)"),
  ),
  email: z.pipe(
    text(254, "Use at most 254 characters", "Enter the work e-mail address"),
    z.email("Enter a valid e-mail address"),
  ),
  role,
});
export type CreateStaffInput = z.output<typeof createStaffSchema>;

/** The row a change is about, and the version the admin saw (a stale form is refused). */
const target = {
  userId: z.uuid("Unknown staff member"),
  version: z.coerce
    .number({ error: "Reload the page and try again" })
    .check(z.int(), z.minimum(1, "Reload the page and try again"), z.maximum(2_147_483_647)),
};

export const changeStaffRoleSchema = z.object({ ...target, role });
export type ChangeStaffRoleInput = z.output<typeof changeStaffRoleSchema>;

export const setStaffDisabledSchema = z.object({
  ...target,
  disabled: z.enum(["disable", "enable"], { error: "Choose disable or enable" }),
});
export type SetStaffDisabledInput = z.output<typeof setStaffDisabledSchema>;

/** An administrator resets a staff member's two-step sign-in (they lost their phone): a reason is required and audited. */
export const resetStaffTwoStepSchema = z.object({
  ...target,
  reason: text(
    300,
    "Use at most 300 characters",
    "Say why (for the audit log), e.g. “Lost phone, confirmed by video call”",
  ),
});
export type ResetStaffTwoStepInput = z.output<typeof resetStaffTwoStepSchema>;
