import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { sessions, type Role } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { createSession, findActiveSession, forgetSessions, idleLimitMs, idleReason, listDevices } from "./sessions";

const MINUTE = 60_000;

async function sessionOf(role: Role) {
  const user = await createUser({ role });
  return createSession(db, { userId: user.id, userAgent: "", ip: "" });
}

/** As if the session's last page view was `ms` ago (and this process's memory had lapsed). */
async function age(id: string, ms: number) {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now() - make_interval(secs => ${ms / 1000})` })
    .where(eq(sessions.id, id));
  forgetSessions();
}

const row = async (id: string) => (await db.select().from(sessions).where(eq(sessions.id, id)))[0];
const idleForMs = async (id: string) => Date.now() - (await row(id)).lastSeenAt.getTime();

afterEach(() => {
  vi.useRealTimers();
});

describe("idle timeout", () => {
  it("idle: staff sessions end sooner than customers' (defaults 15 and 30 minutes)", () => {
    expect(idleLimitMs("customer")).toBe(30 * MINUTE);
    for (const role of ["rep", "marketing", "admin"] as const) expect(idleLimitMs(role)).toBe(15 * MINUTE);
  });

  it.each(["customer", "rep", "admin"] as const)(
    "idle: a %s session unused for longer than its limit ends, marked like other ends; just under it lives on",
    async (role) => {
      const limit = idleLimitMs(role);
      const alive = await sessionOf(role);
      await age(alive, limit - MINUTE);
      expect(await findActiveSession(alive)).not.toBeNull();
      // That request was activity: last seen is now.
      expect(await idleForMs(alive)).toBeLessThan(10_000);

      const idle = await sessionOf(role);
      await age(idle, limit + MINUTE);
      expect(await findActiveSession(idle)).toBeNull();
      const ended = await row(idle);
      expect(ended.revokedAt).not.toBeNull();
      expect(ended.revokedReason).toBe(idleReason(role));
      // Ended for good: coming back to it is no activity that revives it.
      await db
        .update(sessions)
        .set({ lastSeenAt: sql`now()` })
        .where(eq(sessions.id, idle));
      forgetSessions();
      expect(await findActiveSession(idle)).toBeNull();
    },
  );

  it("idle: a customer idle for a staff member's limit is still signed in", async () => {
    const id = await sessionOf("customer");
    await age(id, idleLimitMs("rep") + MINUTE);
    expect(await findActiveSession(id)).not.toBeNull();
  });

  it("idle: a look that is not activity (an open chat stream) does not keep the session alive", async () => {
    const limit = idleLimitMs("customer");
    const id = await sessionOf("customer");
    await age(id, limit / 2);
    expect(await findActiveSession(id, { activity: false })).not.toBeNull();
    expect(await idleForMs(id)).toBeGreaterThan(limit / 2 - MINUTE);
    await age(id, limit + MINUTE);
    expect(await findActiveSession(id, { activity: false })).toBeNull();
    expect((await row(id)).revokedReason).toBe(idleReason("customer"));
  });

  it("idle: last seen is written often enough (a tenth of the limit) that an active session never lapses", async () => {
    const limit = idleLimitMs("rep");
    const id = await sessionOf("rep");
    await age(id, limit / 10 + 1000);
    expect(await findActiveSession(id)).not.toBeNull();
    expect(await idleForMs(id)).toBeLessThan(10_000);
  });

  it("idle: a session remembered in memory is not kept past the limit", async () => {
    const limit = idleLimitMs("customer");
    const id = await sessionOf("customer");
    expect(await findActiveSession(id)).not.toBeNull();
    // Time passes with no request: the database row and this process's clock both move on.
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - make_interval(secs => ${(limit + MINUTE) / 1000})` })
      .where(eq(sessions.id, id));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + limit + MINUTE });
    expect(await findActiveSession(id)).toBeNull();
  });

  it("idle: the device list leaves out a session past its limit before any request has marked it ended", async () => {
    const user = await createUser({ role: "rep" });
    const fresh = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const idle = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    await age(idle, idleLimitMs("rep") + MINUTE);
    await age(fresh, idleLimitMs("rep") - MINUTE);
    expect((await listDevices(user.id)).map((d) => d.id)).toEqual([fresh]);
  });
});
