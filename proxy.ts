import { NextResponse, type NextRequest } from "next/server";
import { isDevelopment } from "@/lib/env";
import { pageCsp } from "@/lib/server/security-headers";

/**
 * Adds a fresh CSP nonce to every page request; Next reads the nonce from the request's CSP
 * header and puts it on its own scripts. Authorization is NOT decided here: every page, action
 * and route handler checks the session and role itself.
 */
export function proxy(request: NextRequest) {
  const unsubscribe = unsubscribeToken(request.nextUrl.pathname);
  // The RFC 8058 one-click POST (and the page's buttons) go to the route handler untouched: no
  // page, no nonce, as cheap as it can be; server.ts's strict CSP covers its plain answers.
  if (unsubscribe !== null && request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, isDevelopment());
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // Next allows no page beside a route handler in /u/[token]: the link's GET is the page
  // app/unsubscribe/[token], in the site's layout, under the link's own address.
  const response =
    unsubscribe !== null
      ? NextResponse.rewrite(new URL(`/unsubscribe/${unsubscribe}${request.nextUrl.search}`, request.url), {
          request: { headers: requestHeaders },
        })
      : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  // The address carries the token: it must not leave the site in a Referer header. Not
  // "no-referrer": then the browser sends "Origin: null", and Next refuses the page's server action.
  if (unsubscribe !== null || request.nextUrl.pathname.startsWith("/unsubscribe/")) {
    response.headers.set("Referrer-Policy", "same-origin");
  }
  return response;
}

/** The token of an unsubscribe link's path (`/u/<token>`, still URL-encoded), else null. */
function unsubscribeToken(pathname: string): string | null {
  const match = /^\/u\/([^/]+)\/?$/.exec(pathname);
  return match ? match[1] : null;
}

export const config = {
  matcher: [
    {
      // /u/* is included: its GET becomes the unsubscribe page; its POST passes straight through.
      source: "/((?!api|_next/static|_next/image|favicon.ico|plain.css).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
