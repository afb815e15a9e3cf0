import "server-only";
import type { IncomingHttpHeaders, IncomingMessage, ServerOptions } from "node:http";
import { routePatternFor } from "./body-limits";

/**
 * What server.ts decides about a request before Next sees it: whether it is well formed, whether
 * it may be a server action at all, where plain HTTP is sent, and how big its body may grow. Pure
 * functions (plus guardBody), so each rule is unit-tested without a server.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An Origin header is "null" or a serialised origin: scheme://host[:port], nothing after it.
 * Next parses it with `new URL` inside its action handler and answers a throw with 500.
 */
export function isWellFormedOrigin(value: string): boolean {
  if (value === "null") return true;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value.toLowerCase();
  } catch {
    return false;
  }
}

/** Why a request is malformed (answered 400 before Next), or null when it is fine. */
export function malformedReason(url: string, headers: IncomingHttpHeaders): string | null {
  if (!url.startsWith("/")) return "Bad request target";
  const pathname = url.split("?", 1)[0];
  try {
    // Next decodes the path to match a route and answers a bad escape (/%E0%A4%A) with 500.
    decodeURIComponent(pathname);
  } catch {
    return "Malformed URL";
  }
  const origin = headers.origin;
  if (Array.isArray(origin) || (origin !== undefined && !isWellFormedOrigin(origin))) return "Malformed Origin header";
  const action = header(headers, "next-action");
  // Next's action ids are hex (42 characters today); anything else is not one of ours.
  if (action !== undefined && !/^[0-9a-f]{1,128}$/i.test(action)) return "Malformed Next-Action header";
  return null;
}

/**
 * Every unsafe request that is not to a route handler can only be a server action (a fetch with
 * Next-Action, or a no-JS form post to a page). Browsers always send Sec-Fetch-Site or Origin
 * with such a POST; a request with neither is a script, and a cross-site one is another site's
 * page. Refused here on top of Next's Origin/Host comparison, which a forged Host can satisfy.
 * Route handlers are not actions: the RFC 8058 one-click POST to /u/<token> comes from any mail
 * provider with no Origin by design, and the JSON routes check the origin in secureRoute.
 */
export function actionRefusal(
  method: string,
  pathname: string,
  headers: IncomingHttpHeaders,
  host: string,
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (routePatternFor(pathname) !== null) return null;
  const site = header(headers, "sec-fetch-site")?.toLowerCase();
  const origin = header(headers, "origin");
  if (site === "cross-site") return "Cross-site form posts are not accepted";
  if (site === undefined && origin === undefined) return "Origin or Sec-Fetch-Site required";
  // Next refuses these too, but with a 500; a foreign page's post is the client's fault.
  if (origin !== undefined && (origin === "null" || originHost(origin) !== host.toLowerCase())) {
    return "Origin does not match this site";
  }
  return null;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Where plain HTTP is sent: the configured public address (APP_URL), else this server's HTTPS
 * port on localhost. Never the request's Host: that would let anyone mint a link to this server
 * which bounces to their own site.
 */
export function redirectBase(appUrl: string | undefined, httpsPort: number): string {
  if (appUrl) return new URL(appUrl).origin;
  return httpsPort === 443 ? "https://localhost" : `https://localhost:${httpsPort}`;
}

/**
 * Counts a request's body bytes as the socket delivers them, whoever reads them (Next, a route
 * handler or nobody), and calls onOver once, withholding every byte past the limit: the body is
 * never buffered beyond `limit` plus one socket read. Node's HTTP parser hands each body chunk to
 * the request stream through push(); returning false from it also pauses the socket.
 *
 * With `check`, the body (bounded by the limit) is held back until it has all arrived and handed
 * on only if check finds nothing wrong; else onInvalid is called and the reader never sees it.
 */
export function guardBody(
  req: IncomingMessage,
  limit: number,
  onOver: () => void,
  check?: { problem: (body: Buffer) => Promise<string | null>; onInvalid: (problem: string) => void },
): void {
  let seen = 0;
  let over = false;
  const held: Buffer[] = [];
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (over) return false;
    if (chunk === null) {
      if (!check) return push(null);
      const body = Buffer.concat(held);
      void check.problem(body).then((problem) => {
        if (problem) return check.onInvalid(problem);
        if (body.length > 0) push(body);
        push(null);
      });
      return false;
    }
    seen += (chunk as Buffer).length;
    if (seen > limit) {
      over = true;
      onOver();
      return false;
    }
    if (!check) return push(chunk, encoding);
    held.push(Buffer.from(chunk as Buffer));
    return true;
  };
}

/**
 * Whether a server action's body is one Next can parse: Next answers a body its parsers throw on
 * (a broken multipart, a fetch action's arguments that are not JSON) with 500. Only a POST that is
 * an action gets here, and its body is at most the action limit, so checking it whole is cheap.
 */
export async function actionBodyProblem(headers: IncomingHttpHeaders, body: Buffer): Promise<string | null> {
  const type = header(headers, "content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    if (!/;\s*boundary=/i.test(type)) return "Multipart body without a boundary";
    const parsed = await new Response(new Uint8Array(body), { headers: { "Content-Type": type } })
      .formData()
      .then(() => true)
      .catch(() => false);
    return parsed ? null : "Malformed multipart body";
  }
  if (/^application\/x-www-form-urlencoded/i.test(type)) return null;
  // A fetch action (Next-Action) sends its arguments as React's reply encoding: JSON text.
  if (header(headers, "next-action") === undefined) return null;
  let args: unknown;
  try {
    args = JSON.parse(body.toString("utf8"));
  } catch {
    return "Malformed action body";
  }
  // The arguments are always an array. A text reply (no FormData, no Blob) only holds inline
  // values; "$Q1", "$B2", "$@3"… point at parts only a multipart reply has, and React's decoder
  // throws on a missing one.
  if (!Array.isArray(args) || refersToParts(args)) return "Malformed action body";
  return null;
}

const INLINE_VALUE = /^\$(\$|D|n|T$|-0$|-?Infinity$|NaN$|undefined$)/;

function refersToParts(value: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof value === "string") return value.startsWith("$") && !INLINE_VALUE.test(value);
  if (Array.isArray(value)) return value.some((v) => refersToParts(v, depth + 1));
  if (value && typeof value === "object") return Object.values(value).some((v) => refersToParts(v, depth + 1));
  return false;
}

/** Content-Length over the limit: answered 413 without reading a byte of the body. */
export function declaredTooLarge(headers: IncomingHttpHeaders, limit: number): boolean {
  const declared = Number(header(headers, "content-length") ?? "0");
  return Number.isFinite(declared) && declared > limit;
}

/**
 * TLS 1.2 with ephemeral ECDH key exchange and AEAD ciphers only (forward secrecy, no CBC padding
 * oracles, no static RSA); TLS 1.3's own suites are all AEAD and stay as Node has them.
 */
export const TLS_CIPHERS = [
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "TLS_AES_128_GCM_SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
].join(":");

/**
 * The timeouts of both ports. Node answers 408 to a client still sending its headers after
 * headersTimeout, or its request after requestTimeout, checked every connectionsCheckingInterval
 * (30 s by default, which would let a slow client stay that much longer than configured).
 * requestTimeout ends once the request has arrived, so a chat stream (a GET whose answer never
 * ends) is not cut by it; between requests, keepAliveTimeout closes an idle connection.
 */
export function serverLimits(config: {
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEPALIVE_TIMEOUT_MS: number;
}): ServerOptions {
  return {
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEPALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
  };
}
