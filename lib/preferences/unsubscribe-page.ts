import "server-only";
import { messages } from "@/lib/messages";
import { TOKEN_TTL_DAYS } from "./tokens";
import { BRAND_NAME } from "@/lib/brand";

/** The unsubscribe pages, rendered as plain HTML by the /u/[token] route (no scripts). */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} — MyAccount</title><link rel="stylesheet" href="/plain.css"></head>
<body><header>${BRAND_NAME}</header><main id="main">${body}</main></body></html>`;
}

const stillGet = `<p class="note">You will still get messages about your account activity, orders and payments, and security and policy notices.</p>`;
const manage = `<p><a href="/login?next=%2Faccount%2Fprofile%23preferences">Sign in to manage all your e-mail choices</a></p>`;

export function unsubscribeChoicePage(topicName: string, email: string, subscribed: boolean): string {
  const who = email ? ` for <strong>${escapeHtml(email)}</strong>` : "";
  return page(
    "Unsubscribe",
    `<h1>Unsubscribe from ${escapeHtml(topicName)}</h1>
<p>${subscribed ? `This stops “${escapeHtml(topicName)}” e-mail${who}.` : `You are not subscribed to “${escapeHtml(topicName)}”${who}.`}</p>
<form method="post"><input type="hidden" name="scope" value="topic"><button class="primary" type="submit">Unsubscribe</button></form>
<form method="post"><input type="hidden" name="scope" value="all"><button class="secondary" type="submit">Unsubscribe from all marketing e-mail</button></form>
${stillGet}${manage}`,
  );
}

export function unsubscribedPage(what: string): string {
  return page(
    "Unsubscribed",
    `<h1>You're unsubscribed</h1><p role="status">You will no longer get ${escapeHtml(what)}.</p>${stillGet}${manage}`,
  );
}

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
