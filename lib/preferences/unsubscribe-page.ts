import "server-only";
import { messages } from "@/lib/messages";
import { TOKEN_TTL_DAYS } from "./tokens";
import { BRAND_NAME } from "@/lib/brand";

/**
 * The answers of the unsubscribe POST route that are not a redirect to the page (app/unsubscribe):
 * refusals, as plain HTML without scripts, for mail clients and anyone posting by hand.
 */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} — MyAccount</title><link rel="stylesheet" href="/plain.css"></head>
<body><header>${BRAND_NAME}</header><main id="main">${body}</main></body></html>`;
}

const manage = `<p><a href="/login?next=%2Faccount%2Fprofile%23preferences">Sign in to manage all your e-mail choices</a></p>`;

export function invalidLinkPage(): string {
  // The heading is our own words from the table, inlined as they are (escaping would spell its
  // apostrophe as &#39; and change the bytes of the page).
  return page(
    "Link not valid",
    `<h1>${messages.unsubscribeLinkInvalidHeading}</h1>
<p>It may be incomplete, changed, or older than ${TOKEN_TTL_DAYS} days. Nothing was changed.</p>${manage}`,
  );
}

export function badRequestPage(message: string): string {
  return page(
    "Request not understood",
    `<h1>We couldn't process that request</h1><p>${escapeHtml(message)} Nothing was changed.</p>${manage}`,
  );
}
