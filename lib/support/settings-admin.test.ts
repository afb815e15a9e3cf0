import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { createUser } from "@/lib/test/factories";
import { supportSettingsSchema } from "./schema";
import { getSupportSettingsForAdmin, settingsFormValues, updateSupportSettings } from "./settings-admin";

const weekdaysOnly = {
  timeZone: "America/Denver",
  retentionDays: "365",
  expectedReply: "within one business day",
  ...Object.fromEntries(
    ["mon", "tue", "wed", "thu", "fri"].flatMap((d) => [
      [`${d}Open`, "08:00"],
      [`${d}Close`, "20:00"],
    ]),
  ),
  satClosed: "on",
  sunClosed: "on",
};

function parse(values: Record<string, string>) {
  return z.safeParse(supportSettingsSchema, values);
}

function messagesOf(result: ReturnType<typeof parse>): string[] {
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe("support settings", () => {
  afterAll(async () => {
    // Leave the desk open at all hours for whatever runs next on the shared database.
    const actor = await createUser({ role: "admin" });
    const current = await getSupportSettingsForAdmin();
    const reset = parse({ ...weekdaysOnly, alwaysOpen: "on", version: String(current.version) });
    if (reset.success) await updateSupportSettings({ userId: actor.id, ip: "" }, reset.data);
  });

  it("settings: an admin sets weekday hours; closed days are left out of the stored hours", async () => {
    const actor = await createUser({ role: "admin" });
    const current = await getSupportSettingsForAdmin();
    const input = parse({ ...weekdaysOnly, version: String(current.version), retentionDays: "400" });
    expect(input.success).toBe(true);
    const saved = await updateSupportSettings({ userId: actor.id, ip: "" }, input.data!);
    expect(saved).toMatchObject({ ok: true, message: "Support settings saved." });
    const stored = await getSupportSettingsForAdmin();
    expect(stored.version).toBe(current.version + 1);
    expect(stored.retentionDays).toBe(400);
    expect(stored.hours).toEqual({
      mon: ["08:00", "20:00"],
      tue: ["08:00", "20:00"],
      wed: ["08:00", "20:00"],
      thu: ["08:00", "20:00"],
      fri: ["08:00", "20:00"],
    });
    expect(settingsFormValues(stored)).toMatchObject({ satClosed: true, monClosed: false, alwaysOpen: false });
  });

  it("settings: a stale version is refused with the stored values, and nothing changes", async () => {
    const actor = await createUser({ role: "admin" });
    const current = await getSupportSettingsForAdmin();
    const first = parse({ ...weekdaysOnly, version: String(current.version), expectedReply: "within two hours" });
    await updateSupportSettings({ userId: actor.id, ip: "" }, first.data!);
    const stale = parse({ ...weekdaysOnly, version: String(current.version), expectedReply: "never" });
    const refused = await updateSupportSettings({ userId: actor.id, ip: "" }, stale.data!);
    expect(refused).toMatchObject({
      ok: false,
      error: "staleSection",
      values: { expectedReply: "within two hours", version: String(current.version + 1) },
    });
    expect((await getSupportSettingsForAdmin()).expectedReply).toBe("within two hours");
  });

  it("settings: bad hours are refused with a message that names the day", () => {
    expect(messagesOf(parse({ ...weekdaysOnly, version: "1", monOpen: "20:00", monClose: "08:00" }))).toEqual([
      "Monday: the closing time must be after the opening time",
    ]);
    expect(messagesOf(parse({ ...weekdaysOnly, version: "1", tueOpen: "8am" }))).toEqual([
      "Tuesday: enter an opening time such as 08:00, or mark the day closed",
    ]);
    const allClosed = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [`${d}Closed`, "on"]));
    expect(messagesOf(parse({ ...weekdaysOnly, ...allClosed, version: "1" }))).toEqual([
      "Open on at least one day, or choose “Open every day at all hours”",
    ]);
    expect(messagesOf(parse({ ...weekdaysOnly, version: "1", timeZone: "Mars/Olympus" }))).toEqual([
      "Choose a time zone",
    ]);
    expect(messagesOf(parse({ ...weekdaysOnly, version: "1", retentionDays: "5" }))).toEqual([
      "Keep transcripts at least 30 days",
    ]);
  });

  it("settings: always open stores no hours", async () => {
    const actor = await createUser({ role: "admin" });
    const current = await getSupportSettingsForAdmin();
    const input = parse({ ...weekdaysOnly, alwaysOpen: "on", monOpen: "8am", version: String(current.version) });
    expect(input.success).toBe(true);
    await updateSupportSettings({ userId: actor.id, ip: "" }, input.data!);
    expect((await getSupportSettingsForAdmin()).hours).toBeNull();
  });
});
