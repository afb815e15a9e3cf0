import "server-only";
import type { Role } from "@/db/schema";

/** Who may use which part of the app; pages and actions name one of these. */
export const roles = {
  customer: ["customer"],
  staff: ["rep", "marketing", "admin"],
  marketing: ["marketing", "admin"],
  /** Who answers chats and Contact Us: reps, and admins standing in. */
  support: ["rep", "admin"],
  anySignedIn: ["customer", "rep", "marketing", "admin"],
} as const satisfies Record<string, readonly Role[]>;
