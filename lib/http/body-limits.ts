/**
 * How many bytes of request body each address may carry. server.ts refuses a request whose
 * Content-Length is over its limit before anything reads it, and counts the bytes of every other
 * body as they arrive (guardBody in lib/http/edge.ts); the route handlers read their bodies through
 * readBoundedBody (lib/http/bounded-body.ts) with the same limit. Without a limit one holder of a
 * mailed unsubscribe link could make the server buffer gigabytes.
 *
 * Plain module (no "server-only"): server.ts and next.config.mjs's unit test import it too.
 */

/** Every server action, no-JS form posts included: the biggest form (a profile) is a few KB. */
export const ACTION_BODY_LIMIT = 128 * 1024;

/** A JSON request of the chat is a few kilobytes at most (a 2,000-character message in UTF-8). */
export const JSON_BODY_LIMIT = 16 * 1024;

/**
 * One entry per app/**\/route.ts (its folder path, `[param]` segments as they are): a unit test
 * fails when a route handler has no entry here. 0 means the route takes no body at all (GET only).
 */
export const ROUTE_BODY_LIMITS: Readonly<Record<string, number>> = {
  // RFC 8058's "List-Unsubscribe=One-Click" or the page's "scope=topic|all": a few dozen bytes,
  // a multipart envelope a few hundred.
  "/u/[token]": 1024,
  "/api/chat/start": JSON_BODY_LIMIT,
  "/api/chat/send": JSON_BODY_LIMIT,
  "/api/chat/typing": JSON_BODY_LIMIT,
  "/api/chat/end": JSON_BODY_LIMIT,
  "/api/chat/transcript": JSON_BODY_LIMIT,
  "/api/chat/proposals/answer": JSON_BODY_LIMIT,
  "/api/console/chats/take": JSON_BODY_LIMIT,
  "/api/console/chats/close": JSON_BODY_LIMIT,
  "/api/console/chats/presence": JSON_BODY_LIMIT,
  "/api/console/chats/proposals": JSON_BODY_LIMIT,
  "/api/console/chats/proposals/withdraw": JSON_BODY_LIMIT,
  "/api/chat/state": 0,
  "/api/console/chats/queue": 0,
  "/api/health": 0,
  "/account/privacy/export": 0,
  "/console/admin/audit/export": 0,
  "/console/marketing/export": 0,
  // Served by server.ts itself (lib/chat/stream.ts), not by a route.ts: a GET that stays open.
  "/api/chat/stream": 0,
};

const compiled = Object.entries(ROUTE_BODY_LIMITS).map(([pattern, limit]) => ({
  pattern,
  limit,
  regex: new RegExp(
    `^${pattern
      .split("/")
      .map((segment) => (/^\[[^\]]+\]$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/")}/?$`,
  ),
}));

/** The route handler pattern a path (without its query) is served by, or null for a page. */
export function routePatternFor(pathname: string): string | null {
  return compiled.find((r) => r.regex.test(pathname))?.pattern ?? null;
}

/**
 * The most a request to `pathname` may carry: its route handler's limit, else (a page: what a
 * POST to it can only be is a server action) the action limit.
 */
export function bodyLimitFor(pathname: string): number {
  return compiled.find((r) => r.regex.test(pathname))?.limit ?? ACTION_BODY_LIMIT;
}
