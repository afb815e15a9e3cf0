import { sql } from "drizzle-orm";
import { db } from "@/db/client";

/** Closes a person's profile-mail window now, as if PROFILE_MAIL_WINDOW had passed. */
export async function closeProfileMailWindow(userId?: string): Promise<void> {
  await db.execute(
    userId
      ? sql`update profile_mail_digests set due_at = now() - interval '1 second' where user_id = ${userId}`
      : sql`update profile_mail_digests set due_at = now() - interval '1 second'`,
  );
}
