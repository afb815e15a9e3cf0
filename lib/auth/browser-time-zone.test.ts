import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { createUser } from "@/lib/test/factories";
import { signInSchema } from "./schema";
import { adoptBrowserTimeZone } from "./browser-time-zone";
import { createSession, findActiveSession } from "./sessions";

const zoneOf = async (id: string) =>
  (await db.select({ tz: users.timeZone }).from(users).where(eq(users.id, id)))[0].tz;

describe("the browser's time zone at sign-in", () => {
  it("time zone: kept when the person has none, and the next lookup shows times in it", async () => {
    const user = await createUser();
    await adoptBrowserTimeZone(user.id, "America/Los_Angeles");
    expect(await zoneOf(user.id)).toBe("America/Los_Angeles");
    const id = await createSession(db, { userId: user.id, userAgent: "", ip: "" });
    expect((await findActiveSession(id))?.timeZone).toBe("America/Los_Angeles");
  });

  it("time zone: never overwrites one already kept", async () => {
    const user = await createUser();
    await db.update(users).set({ timeZone: "America/Chicago" }).where(eq(users.id, user.id));
    await adoptBrowserTimeZone(user.id, "Europe/Paris");
    expect(await zoneOf(user.id)).toBe("America/Chicago");
  });

  it("time zone: the form's value is dropped, not refused, when it is no zone", () => {
    const base = { identifier: "someone", password: "x" };
    expect(signInSchema.parse({ ...base, timeZone: "America/Detroit" }).timeZone).toBe("America/Detroit");
    expect(signInSchema.parse({ ...base, timeZone: "Mars/Olympus_Mons" }).timeZone).toBeUndefined();
    expect(signInSchema.parse({ ...base, timeZone: "x".repeat(5000) }).timeZone).toBeUndefined();
    expect(signInSchema.parse(base).timeZone).toBeUndefined();
  });
});
