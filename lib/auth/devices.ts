import "server-only";
import { listDevices } from "./sessions";

type Device = Awaited<ReturnType<typeof listDevices>>[number];

/** Sessions that look alike to their owner: same browser, system and address. */
export type DeviceGroup = {
  browser: string;
  os: string;
  ip: string;
  sessionIds: string[];
  /** When the earliest of them signed in, and the latest was seen. */
  firstSignedInAt: Date;
  lastSeenAt: Date;
};

/**
 * The device list as the security page shows it: the session in use first, on its own, then the
 * other sessions grouped by browser, system and address (most recently seen first), so nine
 * sign-ins from one laptop read as one line with a count and one "Sign out".
 */
export async function deviceList(
  userId: string,
  currentSessionId: string,
): Promise<{ current: Device | null; groups: DeviceGroup[] }> {
  const devices = await listDevices(userId);
  const current = devices.find((d) => d.id === currentSessionId) ?? null;
  const groups = new Map<string, DeviceGroup>();
  for (const d of devices) {
    if (d.id === currentSessionId) continue;
    const key = JSON.stringify([d.browser, d.os, d.ip]);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        browser: d.browser,
        os: d.os,
        ip: d.ip,
        sessionIds: [d.id],
        firstSignedInAt: d.createdAt,
        lastSeenAt: d.lastSeenAt,
      });
      continue;
    }
    group.sessionIds.push(d.id);
    if (d.createdAt < group.firstSignedInAt) group.firstSignedInAt = d.createdAt;
    if (d.lastSeenAt > group.lastSeenAt) group.lastSeenAt = d.lastSeenAt;
  }
  // listDevices orders by last seen, and a Map keeps insertion order: the groups are already sorted.
  return { current, groups: [...groups.values()] };
}
