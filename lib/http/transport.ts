import "server-only";
import { isIP } from "node:net";

/**
 * How a request reached us, decided by server.ts from the socket — never from what the client
 * claims. X-Forwarded-* headers are believed only when the socket peer is listed in TRUST_PROXY.
 */
export type Transport = {
  proto: "https" | "http";
  /** The client's address: the socket peer, or the first untrusted hop named by a trusted proxy. */
  clientIp: string;
  /** Host the client asked for (Host header, or X-Forwarded-Host from a trusted proxy). */
  host: string;
  viaTrustedProxy: boolean;
};

export const FORWARDED_HEADERS = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-for", "forwarded", "x-real-ip"];
/** Internal header server.ts stamps on every request it hands to Next (see transportStamp). */
export const TRANSPORT_HEADER = "x-myaccount-transport";

function normalizeIp(ip: string | undefined | null): string {
  if (!ip) return "";
  const trimmed = ip.trim();
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the same client as 127.0.0.1.
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function isTrustedProxy(peer: string, trustProxy: readonly string[]): boolean {
  const ip = normalizeIp(peer);
  return trustProxy.some((t) => normalizeIp(t) === ip);
}

function firstValue(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v?.split(",")[0]?.trim() || undefined;
}

/**
 * The value our trusted proxy added: the right-most one. A proxy that appends to a header lets
 * the client put anything to the left (e.g. "X-Forwarded-Proto: https" over plain HTTP).
 */
function lastValue(h: string | string[] | undefined): string | undefined {
  const all = ([] as string[])
    .concat(h ?? [])
    .join(",")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return all[all.length - 1];
}

export function resolveTransport(input: {
  socketEncrypted: boolean;
  socketPeer: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  trustProxy: readonly string[];
}): Transport {
  const peer = normalizeIp(input.socketPeer);
  const socketProto = input.socketEncrypted ? "https" : "http";
  const hostHeader = firstValue(input.headers.host) ?? "";
  if (!isTrustedProxy(peer, input.trustProxy)) {
    return { proto: socketProto, clientIp: peer, host: hostHeader, viaTrustedProxy: false };
  }
  const claimedProto = lastValue(input.headers["x-forwarded-proto"])?.toLowerCase();
  const proto = claimedProto === "https" || claimedProto === "http" ? claimedProto : socketProto;
  // Walk X-Forwarded-For from the right, skipping our own trusted proxies: the first address
  // that is not one of them is the client (anything further left could be forged by the client).
  const hops = ([] as string[])
    .concat(input.headers["x-forwarded-for"] ?? [])
    .join(",")
    .split(",")
    .map((s) => normalizeIp(s))
    .filter(Boolean);
  let clientIp = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    clientIp = hops[i];
    if (!isTrustedProxy(hops[i], input.trustProxy)) break;
  }
  const host = lastValue(input.headers["x-forwarded-host"]) ?? hostHeader;
  return { proto, clientIp, host, viaTrustedProxy: true };
}

/**
 * The value server.ts writes into TRANSPORT_HEADER: `<key>;<proto>;<ip>`. The key is a random
 * secret made at process start; a client cannot forge the header because server.ts deletes any
 * incoming copy and only the process knows the key. Without server.ts (no key) nothing verifies,
 * so HTTPS-only actions refuse to run.
 */
export function transportStamp(key: string, t: Transport): string {
  return `${key};${t.proto};${t.clientIp}`;
}

export function readTransportStamp(
  key: string | undefined,
  value: string | null | undefined,
): { proto: "https" | "http"; clientIp: string } | null {
  if (!key || !value) return null;
  const [k, proto, ...ip] = value.split(";");
  if (k !== key || (proto !== "https" && proto !== "http")) return null;
  return { proto, clientIp: ip.join(";") };
}
