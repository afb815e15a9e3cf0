"use server";

import { sql } from "drizzle-orm";
// eslint-disable-next-line no-restricted-imports -- bench-only floor: a bare UPDATE without the door, never built into npm start
import { db } from "@/db/client";
import { benchEndpointsEnabled } from "@/lib/env";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The benchmark's floor for a save (see bench/run.ts): a bare server action doing one UPDATE —
 * no door (no HTTPS check, no session, no role, no schema), no audit row, no mail — so the profile
 * saves can be read as "floor + their own work".
 *
 * Only ./page.bench.tsx imports it, so only the bench's build compiles it (see next.config.mjs).
 * Even there it is inert unless the server runs with BENCH_ENDPOINTS=1: a server action can be
 * called by its id from any page, so the check is here, not only on the page. It touches nothing
 * but `updated_at`.
 */
export async function benchFloorUpdate(formData: FormData): Promise<void> {
  if (!benchEndpointsEnabled()) return;
  const id = formData.get("id");
  if (typeof id !== "string" || !UUID.test(id)) return;
  const result = (await db.execute(sql`update users set updated_at = now() where id = ${id}`)) as {
    rowCount?: number | null;
    affectedRows?: number;
  };
  // node-postgres says rowCount, PGlite affectedRows: a miss fails loudly, so the bench's
  // "200 = saved" holds.
  if ((result.rowCount ?? result.affectedRows) !== 1) throw new Error("bench floor update: no such user");
}
