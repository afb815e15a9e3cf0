import { linkify } from "./linkify";

/**
 * A chat message as React text nodes, with http(s) addresses as links that open in a new tab and
 * pass neither the opener nor the referrer. Never HTML: whatever markup a message holds stays text.
 */
export function MessageText({ body }: { body: string }) {
  return (
    <>
      {linkify(body).map((piece, i) =>
        piece.kind === "link" ? (
          <a
            key={i}
            href={piece.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="break-all underline underline-offset-2"
          >
            {piece.text}
          </a>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </>
  );
}
