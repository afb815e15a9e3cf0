import { describe, expect, it } from "vitest";
import { instantToWallTime, wallTimeToInstant } from "./time-zone";

const at = (local: string, zone: string) => {
  const r = wallTimeToInstant(local, zone);
  return r.ok ? r.instant.toISOString() : r.reason;
};

describe("wall-clock time in a zone → instant", () => {
  it("time zone: an ordinary time in winter and in summer uses that season's offset", () => {
    expect(at("2026-01-15T09:00", "America/New_York")).toBe("2026-01-15T14:00:00.000Z"); // EST, -5
    expect(at("2026-07-15T09:00", "America/New_York")).toBe("2026-07-15T13:00:00.000Z"); // EDT, -4
    expect(at("2026-07-15T09:00", "America/Phoenix")).toBe("2026-07-15T16:00:00.000Z"); // no DST, -7
    expect(at("2026-07-15T09:00", "Pacific/Guam")).toBe("2026-07-14T23:00:00.000Z"); // +10, the day before
    expect(at("2026-12-31T23:59", "UTC")).toBe("2026-12-31T23:59:00.000Z");
  });

  it("time zone: a time skipped when clocks spring forward is reported as nonexistent, either side is fine", () => {
    // 8 March 2026, New York: 02:00 EST becomes 03:00 EDT.
    expect(at("2026-03-08T02:30", "America/New_York")).toBe("nonexistent");
    expect(at("2026-03-08T01:59", "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(at("2026-03-08T03:00", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    // Phoenix has no gap that night.
    expect(at("2026-03-08T02:30", "America/Phoenix")).toBe("2026-03-08T09:30:00.000Z");
  });

  it("time zone: a time repeated when clocks fall back takes the first (daylight-saving) reading and says so", () => {
    // 1 November 2026, Chicago: 01:00–01:59 happens in CDT (-5), then again in CST (-6).
    const r = wallTimeToInstant("2026-11-01T01:30", "America/Chicago");
    expect(r).toEqual({ ok: true, instant: new Date("2026-11-01T06:30:00.000Z"), ambiguous: true });
    expect(wallTimeToInstant("2026-11-01T02:30", "America/Chicago")).toEqual({
      ok: true,
      instant: new Date("2026-11-01T08:30:00.000Z"),
      ambiguous: false,
    });
  });

  it("time zone: a malformed value, an impossible date or an unknown zone is invalid", () => {
    expect(at("2026-02-31T10:00", "UTC")).toBe("invalid");
    expect(at("2026-01-01T24:00", "UTC")).toBe("invalid");
    expect(at("2026-01-01 10:00", "UTC")).toBe("invalid");
    expect(at("", "UTC")).toBe("invalid");
    expect(at("2026-01-01T10:00", "Mars/Olympus")).toBe("invalid");
  });

  it("time zone: an instant reads back as the wall time it came from", () => {
    for (const zone of ["America/Los_Angeles", "Pacific/Honolulu", "America/Anchorage", "UTC"]) {
      for (const local of ["2026-01-01T00:00", "2026-06-30T12:45", "2026-11-01T01:15"]) {
        const r = wallTimeToInstant(local, zone);
        expect(r.ok && instantToWallTime(r.instant, zone)).toBe(local);
      }
    }
  });
});
