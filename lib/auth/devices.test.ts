import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, sessions } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { deviceList } from "./devices";
import { createSession, findActiveSession } from "./sessions";
import { signOutDeviceGroup } from "./sign-out";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

async function signInMany(userId: string, userAgent: string, ip: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await createSession(db, { userId, userAgent, ip }));
  return ids;
}

describe("device list", () => {
  it("devices: the session in use comes first on its own; alike sessions (browser, system, address) are one group", async () => {
    const user = await createUser();
    const here = await createSession(db, { userId: user.id, userAgent: CHROME, ip: "198.51.100.7" });
    const sameAsHere = await signInMany(user.id, CHROME, "198.51.100.7", 3);
    const elsewhere = await signInMany(user.id, CHROME, "203.0.113.9", 2);
    const firefox = await signInMany(user.id, FIREFOX, "198.51.100.7", 1);
    // The most recently seen group first.
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() + 60_000) })
      .where(eq(sessions.id, firefox[0]));

    const { current, groups } = await deviceList(user.id, here);
    expect(current).toMatchObject({ id: here, browser: "Chrome 140", os: "Linux", ip: "198.51.100.7" });
    expect(groups.map((g) => [g.browser, g.os, g.ip, [...g.sessionIds].sort()])).toEqual([
      ["Firefox 128", "Windows 10", "198.51.100.7", firefox],
      expect.anything(),
      expect.anything(),
    ]);
    const sorted = (ids: string[]) => [...ids].sort();
    expect(groups.slice(1).map((g) => [g.ip, sorted(g.sessionIds)])).toEqual(
      expect.arrayContaining([
        ["198.51.100.7", sorted(sameAsHere)],
        ["203.0.113.9", sorted(elsewhere)],
      ]),
    );
  });

  it("devices: “Sign out” on a group ends every session of it in one audited step, never the one in use nor another person's", async () => {
    const user = await createUser();
    const stranger = await createUser();
    const here = await createSession(db, { userId: user.id, userAgent: CHROME, ip: "198.51.100.8" });
    const group = await signInMany(user.id, CHROME, "198.51.100.8", 3);
    const keep = await signInMany(user.id, FIREFOX, "198.51.100.8", 1);
    const theirs = await signInMany(stranger.id, CHROME, "198.51.100.8", 1);

    const result = await signOutDeviceGroup({ userId: user.id, sessionId: here, ip: "198.51.100.8" }, [
      ...group,
      here,
      theirs[0],
    ]);
    expect(result).toMatchObject({ ok: true, message: "The device was signed out (3 sessions)." });
    for (const id of group) expect(await findActiveSession(id)).toBeNull();
    expect(await findActiveSession(here)).toMatchObject({ userId: user.id });
    expect(await findActiveSession(keep[0])).toMatchObject({ userId: user.id });
    expect(await findActiveSession(theirs[0])).toMatchObject({ userId: stranger.id });

    const audits = await db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, user.id), eq(auditEvents.action, "auth.device_signed_out")));
    expect(audits).toHaveLength(1);
    expect([...(audits[0].detail as { sessionIds: string[] }).sessionIds].sort()).toEqual([...group].sort());

    // Again: nothing left to end.
    expect(await signOutDeviceGroup({ userId: user.id, sessionId: here, ip: "" }, group)).toMatchObject({
      ok: false,
      error: "deviceAlreadySignedOut",
    });
    expect(await signOutDeviceGroup({ userId: user.id, sessionId: here, ip: "" }, [here])).toMatchObject({ ok: false });
    expect(await findActiveSession(here)).toMatchObject({ userId: user.id });
  });
});
