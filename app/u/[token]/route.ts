import { z } from "zod/mini";
import { runSecureAction } from "@/lib/actions/door";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { readBoundedForm } from "@/lib/http/bounded-body";
import { withOutage } from "@/lib/http/with-outage";
import { requestContext } from "@/lib/http/request-context";
import { messages } from "@/lib/messages";
import { withdrawOneClick } from "@/lib/preferences/consent";
import { verifyUnsubscribeToken } from "@/lib/preferences/tokens";
import { resolveUnsubscribeToken, unsubscribe } from "@/lib/preferences/unsubscribe";
import { badRequestPage, invalidLinkPage } from "@/lib/preferences/unsubscribe-page";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };
type Unsubscribed = { oneClick: true } | { oneClick: false; scope: "topic" | "all" };

function html(status: number, body: string) {
  return new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}

/** Where the page for a token lives: proxy.ts rewrites GET /u/<token> there (this GET is a fallback). */
function pageUrl(token: string, query = ""): string {
  return `/unsubscribe/${encodeURIComponent(token)}${query}`;
}

function seeOther(location: string) {
  return new Response(null, {
    status: 303,
    headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
}

/** GET never unsubscribes (mail scanners open links): the page shows what would stop and two buttons. */
export const GET = withOutage(async (_req: Request, { params }: Params) => seeOther(pageUrl((await params).token)));

// RFC 8058: the mail client POSTs exactly "List-Unsubscribe=One-Click", with no cookies or CSRF
// token; the page's own buttons POST scope=topic|all. Anything else changes nothing.
const bodySchema = z.union([
  z.object({ "List-Unsubscribe": z.literal("One-Click") }),
  z.object({ scope: z.enum(["topic", "all"]) }),
]);

/**
 * The unsubscribe POST goes through the same door as every other change (HTTPS required, input
 * parsed), with the token as its only credential.
 */
export const POST = withOutage(async (req: Request, { params }: Params) => {
  const token = (await params).token;
  // The signature is checked without the database; the database is only asked to change things.
  const claims = verifyUnsubscribeToken(token);
  if (!claims) return html(400, invalidLinkPage());
  const type = req.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    return html(400, badRequestPage(messages.unsubscribeNotForm));
  }
  // Read within the route's limit (lib/http/body-limits.ts): the link is mailed, so anyone holding
  // one could otherwise make the server buffer as much as they care to send.
  const form = await readBoundedForm(req);
  if (form === "tooLarge") return html(413, badRequestPage(messages.bodyTooLarge));
  if (!form) return html(400, badRequestPage(messages.unsubscribeUnreadable));
  const context = await requestContext();
  const result = await runSecureAction(
    { schema: bodySchema, capability: "public", httpsOnly: true },
    async (body, { request }): Promise<Outcome<Unsubscribed>> => {
      const meta = { ip: request.clientIp, userAgent: request.userAgent };
      if ("List-Unsubscribe" in body) {
        await withdrawOneClick(claims.userId, claims.topicCode, meta);
        return ok({ oneClick: true as const });
      }
      const target = await resolveUnsubscribeToken(token);
      if (!target) return fail("unsubscribeLinkInvalid");
      await unsubscribe(target, { scope: body.scope, source: "email-link", ...meta });
      return ok({ oneClick: false as const, scope: body.scope });
    },
    form,
    { request: async () => context, session: async () => null },
  );
  if (!result.ok && result.formError === messages.outage) return html(503, badRequestPage(`${messages.outage}.`));
  if (!result.ok) {
    // Field errors here mean the body was not one of the two forms this endpoint understands.
    const reason = result.fieldErrors ? messages.unsubscribeNotUnderstood : result.formError;
    return html(400, badRequestPage(reason));
  }
  if (result.data.oneClick) {
    // Plain 200, no redirect: mail providers treat a redirect as a failed one-click request.
    return new Response("Unsubscribed.\n", {
      status: 200,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  // The page's buttons: back to the page (a GET in the site's layout), which says what stopped
  // and offers "Subscribe again".
  return seeOther(pageUrl(token, `?done=${result.data.scope}`));
});
