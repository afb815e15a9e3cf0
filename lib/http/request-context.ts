import "server-only";
import { headers } from "next/headers";
import { transportKey } from "@/lib/env";
import { TRANSPORT_HEADER, readTransportStamp } from "./transport";

export type RequestContext = {
  /** null when the request did not come through server.ts (then nothing counts as HTTPS). */
  proto: "https" | "http" | null;
  clientIp: string;
  userAgent: string;
};

/** What server.ts decided about this request (see lib/http/transport.ts). */
export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  const stamp = readTransportStamp(transportKey(), h.get(TRANSPORT_HEADER));
  return {
    proto: stamp?.proto ?? null,
    clientIp: stamp?.clientIp ?? "",
    userAgent: h.get("user-agent") ?? "",
  };
}
