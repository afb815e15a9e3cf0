import { Fragment } from "react";

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/**
 * A chat message as text: never HTML. Web addresses (http and https only) become links that open
 * in a new tab without handing the chat page to the site they lead to.
 */
export function MessageText({ text }: { text: string }) {
  const parts: (string | { href: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    // A sentence's closing punctuation is not part of the address.
    const href = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href });
    last = start + href.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <span className="break-words whitespace-pre-wrap">
      {parts.map((p, i) =>
        typeof p === "string" ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <a
            key={i}
            href={safeHref(p.href)}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="text-brand-700 underline break-all"
          >
            {p.href}
          </a>
        ),
      )}
    </span>
  );
}

/** Only http(s) URLs reach the href; anything else would have been left as text. */
function safeHref(href: string): string {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "#";
  } catch {
    return "#";
  }
}
