import "server-only";
import { listDevices } from "./sessions";

type Device = Awaited<ReturnType<typeof listDevices>>[number];

/** Sessions that look alike to their owner: same browser, system and address. */
export type DeviceGroup = {
  browser: string;
  os: string;
  ip: string;
  sessionIds: string[];
  /** How its sessions signed in ("password", "password+passkey", "passkey", …), each once. */
  verifiedBy: string[];
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
        verifiedBy: [d.verifiedBy],
        firstSignedInAt: d.createdAt,
        lastSeenAt: d.lastSeenAt,
      });
      continue;
    }
    group.sessionIds.push(d.id);
    if (!group.verifiedBy.includes(d.verifiedBy)) group.verifiedBy.push(d.verifiedBy);
    if (d.createdAt < group.firstSignedInAt) group.firstSignedInAt = d.createdAt;
    if (d.lastSeenAt > group.lastSeenAt) group.lastSeenAt = d.lastSeenAt;
  }
  // listDevices orders by last seen, and a Map keeps insertion order: the groups are already sorted.
  return { current, groups: [...groups.values()] };
}

const methodWords: Record<string, string> = {
  password: "Password",
  passkey: "Passkey",
  "password+passkey": "Password + passkey",
  "password+authenticator": "Password + authenticator app",
  "password+recovery_code": "Password + recovery code",
};

/** How a session signed in, as the device list says it ("Password + authenticator app"). */
export function signInMethodWords(verifiedBy: string): string {
  return methodWords[verifiedBy] ?? verifiedBy;
}
