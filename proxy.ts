import { NextResponse, type NextRequest } from "next/server";
import { isDevelopment } from "@/lib/env";
import { pageCsp } from "@/lib/server/security-headers";

/**
 * Adds a fresh CSP nonce to every page request; Next reads the nonce from the request's CSP
 * header and puts it on its own scripts. Authorization is NOT decided here: every page, action
 * and route handler checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, isDevelopment());
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Not /u/*: the unsubscribe pages are plain HTML without scripts (server.ts's strict
      // fallback CSP covers them), and the one-click endpoint should stay as cheap as it can.
      source: "/((?!api|u/|_next/static|_next/image|favicon.ico|plain.css).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
