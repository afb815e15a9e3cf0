import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { fail, type Refusal } from "@/lib/actions/result";
import { verifyPassword } from "./password-hash";
import { passwordCheckLimits, releaseAttempt, reserveAttempt } from "./throttle";

/**
 * Checks a signed-in user's current password before a sensitive change (new password, new e-mail
 * address). Wrong answers are limited per user, so a stolen session cannot be used to guess the
 * password. Returns the refusal, or null when the password is right.
 */
export async function checkCurrentPassword(userId: string, currentPassword: string): Promise<Refusal | null> {
  const limits = passwordCheckLimits(userId);
  const wait = await reserveAttempt(limits);
  if (wait > 0) return fail({ code: "tooManyAttempts", of: "passwordCheck", retryAfterSeconds: wait });
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail("invalidInput", { currentPassword: ["currentPasswordWrong"] });
  }
  await releaseAttempt(limits);
  return null;
}
