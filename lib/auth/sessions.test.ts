import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { addresses, users } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { createSession, findActiveSession, listDevices, revokeOtherSessions, revokeSession } from "./sessions";

describe("sessions", () => {
  it("sessions: devices are listed with browser, system and address; revoking one ends only it", async () => {
    const user = await createUser();
    const phone = await createSession(db, {
      userId: user.id,
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      ip: "198.51.100.1",
    });
    const laptop = await createSession(db, {
      userId: user.id,
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
      ip: "198.51.100.2",
    });
    const devices = await listDevices(user.id);
    expect(devices.map((d) => [d.browser, d.os, d.ip]).sort()).toEqual([
      ["Firefox 128", "Windows 10", "198.51.100.2"],
      ["Mobile Safari 17", "iOS 17.4", "198.51.100.1"],
    ]);
    expect(await revokeSession(db, user.id, phone, "test")).toBe(true);
    expect(await findActiveSession(phone)).toBeNull();
    expect(await findActiveSession(laptop)).toMatchObject({ userId: user.id });
    expect(await revokeSession(db, user.id, phone, "again")).toBe(false);
  });

  it("sessions: one user cannot revoke another user's session", async () => {
    const a = await createUser();
    const b = await createUser();
    const bSession = await createSession(db, { userId: b.id, userAgent: "", ip: "" });
    expect(await revokeSession(db, a.id, bSession, "attack")).toBe(false);
    expect(await findActiveSession(bSession)).not.toBeNull();
  });

  it("sessions: sign out everywhere else keeps only the current device", async () => {
    const user = await createUser();
    const ids = await Promise.all([1, 2, 3].map(() => createSession(db, { userId: user.id, userAgent: "", ip: "" })));
    expect(await revokeOtherSessions(db, user.id, ids[0], "test")).toBe(2);
    expect(await findActiveSession(ids[0])).not.toBeNull();
    expect(await findActiveSession(ids[1])).toBeNull();
    expect(await findActiveSession(ids[2])).toBeNull();
  });

  it("sessions: a malformed session id is simply not found", async () => {
    expect(await findActiveSession("not-a-uuid'; drop table users;--")).toBeNull();
  });
});

describe("sessions in memory (embedded database)", () => {
  it("sessions: a remembered session still ends on the very next lookup after any revocation", async () => {
    const user = await createUser();
    const a = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    const b = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    // Looked up twice: the second answer may come from memory.
    expect(await findActiveSession(a)).not.toBeNull();
    expect(await findActiveSession(a)).not.toBeNull();
    expect(await findActiveSession(b)).not.toBeNull();
    await db.transaction((tx) => revokeSession(tx, user.id, a, "test"));
    expect(await findActiveSession(a)).toBeNull();
    expect(await findActiveSession(b)).not.toBeNull();
    await db.transaction((tx) => revokeOtherSessions(tx, user.id, null, "test"));
    expect(await findActiveSession(b)).toBeNull();
  });

  it("sessions: a name change shows on the next lookup", async () => {
    const { updateName } = await import("@/lib/profile/update");
    const user = await createUser();
    const id = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    expect((await findActiveSession(id))?.firstName).toBe("Test");
    await updateName(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, firstName: "Renamed", lastName: "Person" },
    );
    expect((await findActiveSession(id))?.firstName).toBe("Renamed");
  });

  it("sessions: the lookup carries the viewer's time zone: their choice, else their service address's state's", async () => {
    const user = await createUser();
    const id = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    // The factory's service address is in Colorado.
    expect((await findActiveSession(id))?.timeZone).toBe("America/Denver");

    await db.update(addresses).set({ state: "CA" }).where(eq(addresses.userId, user.id));
    const second = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    expect((await findActiveSession(second))?.timeZone).toBe("America/Los_Angeles");

    await db.update(users).set({ timeZone: "Pacific/Honolulu" }).where(eq(users.id, user.id));
    const third = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    expect((await findActiveSession(third))?.timeZone).toBe("Pacific/Honolulu");
  });

  it("sessions: staff have no address, so their zone is the one they chose, else UTC", async () => {
    const rep = await createUser({ role: "rep" });
    await db.delete(addresses).where(eq(addresses.userId, rep.id));
    const id = await createSession(db, { userId: rep.id, userAgent: "", ip: "" });
    expect((await findActiveSession(id))?.timeZone).toBe("UTC");
    await db.update(users).set({ timeZone: "America/Chicago" }).where(eq(users.id, rep.id));
    const again = await createSession(db, { userId: rep.id, userAgent: "", ip: "" });
    expect((await findActiveSession(again))?.timeZone).toBe("America/Chicago");
  });
});
