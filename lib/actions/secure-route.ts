import "server-only";
import type * as zcore from "zod/v4/core";
import type { Capability } from "@/lib/auth/capabilities";
import { currentSession } from "@/lib/auth/current";
import { JSON_BODY_LIMIT } from "@/lib/http/body-limits";
import { readBoundedBody } from "@/lib/http/bounded-body";
import { requestContext } from "@/lib/http/request-context";
import { messages } from "@/lib/messages";
import { runSecureAction, type ActionHandler, type SecureActionOptions } from "./door";
import type { ActionResult } from "./result";

export { JSON_BODY_LIMIT };

/** The HTTP status a refusal is answered with, chosen by its code (lib/messages.ts). */
const statusByCode: Record<string, number> = {
  invalidInput: 400,
  signedOut: 401,
  forbidden: 403,
  httpsRequired: 403,
  notOriginal: 403,
  chatNotYours: 403,
  chatStaffUseConsole: 403,
  proposalNotForVisitor: 403,
  bodyTooLarge: 413,
  slowDown: 429,
  tooManyAttempts: 429,
  contactLimit: 429,
  outage: 503,
  unexpected: 500,
};

export function statusForRefusal(code: string | undefined): number {
  if (!code) return 400;
  // Every other refusal of a JSON endpoint is a state conflict: a closed chat, a taken chat, an
  // answered proposal, a stale settings version.
  return statusByCode[code] ?? 409;
}

export function jsonResult(result: ActionResult<unknown>, retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (retryAfterSeconds) headers["Retry-After"] = String(retryAfterSeconds);
  return Response.json(result, { status: result.ok ? 200 : statusForRefusal(result.code), headers });
}

function refuse(code: keyof typeof messages): Response {
  return jsonResult({ ok: false, formError: messages[code], code });
}

/**
 * A browser's POST names the page it came from. Another site's page (or a request that hides its
 * origin) must not make a signed-in customer's browser send a chat message: the session cookie is
 * SameSite=Lax, which a cross-site fetch would not carry anyway, but the visitor cookie and the
 * server's promise should not depend on one cookie attribute.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (!origin || !host) return false;
  try {
    const url = new URL(origin);
    return url.protocol === "https:" && url.host === host;
  } catch {
    return false;
  }
}

type RouteOptions<S extends zcore.$ZodType, C extends Capability> = SecureActionOptions<S, C> & {
  /** The most a single request may carry; the route's entry in lib/http/body-limits.ts unless set. */
  bodyLimit?: number;
};

/**
 * The door (lib/actions/door.ts) for JSON route handlers: same-origin check and a bounded JSON
 * body first, then HTTPS → session → role → zod → handler exactly as for a server action. A GET
 * takes its input from the query string and skips the origin check (it changes nothing).
 * Answers `ActionResult` JSON with a status chosen by the refusal's code; a "slow down" refusal
 * carries Retry-After.
 */
export function secureRoute<S extends zcore.$ZodType, T, C extends Capability>(
  options: RouteOptions<S, C>,
  handler: ActionHandler<S, T, C>,
) {
  return async (request: Request): Promise<Response> => {
    let raw: Record<string, unknown>;
    if (request.method === "GET" || request.method === "HEAD") {
      raw = Object.fromEntries(new URL(request.url).searchParams);
    } else {
      if (!isSameOrigin(request)) return refuse("notOriginal");
      const body = await readBoundedBody(request, options.bodyLimit);
      if (body === null) return refuse("bodyTooLarge");
      const text = body.toString("utf8");
      try {
        const parsed: unknown = text ? JSON.parse(text) : {};
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return refuse("invalidInput");
        raw = parsed as Record<string, unknown>;
      } catch {
        return refuse("invalidInput");
      }
    }
    let retryAfter: number | undefined;
    const result = await runSecureAction(
      options,
      async (input, ctx) => {
        const outcome = await handler(input, ctx);
        if (!outcome.ok && typeof outcome.error === "object" && "retryAfterSeconds" in outcome.error) {
          retryAfter = outcome.error.retryAfterSeconds;
        }
        return outcome;
      },
      raw,
      { request: requestContext, session: currentSession },
    );
    // A JSON client has its own copy of what it sent; echoing values back is for no-JS forms.
    if (!result.ok) delete result.values;
    return jsonResult(result, retryAfter);
  };
}
