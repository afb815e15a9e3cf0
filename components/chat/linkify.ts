// Turns a chat message into text and link pieces, so the panel renders both as React nodes and
// never as HTML. Only absolute http and https URLs become links; anything else stays text.

export type TextPiece = { kind: "text"; text: string };
export type LinkPiece = { kind: "link"; text: string; href: string };
export type Piece = TextPiece | LinkPiece;

// A run without spaces, quotes or angle brackets, starting with the scheme and a host (not a third
// slash or a backslash, which URL() would quietly repair into a host the text does not show); the
// scheme check that matters is done by URL() below, the pattern only finds candidates.
const candidate = /\bhttps?:\/\/[^\s<>"'`/\\][^\s<>"'`]*/gi;

// Punctuation that ends a sentence rather than the URL: "see https://x.example/a." links to /a.
const trailing = /[.,;:!?*_~]+$/;

/** Drops what follows the URL in prose: sentence punctuation and a closing bracket that has no opener inside. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(trailing, "");
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ] as const) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** The URL when it is a well-formed http(s) address with a host, else null. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  return url.href;
}

/** Splits `body` into text and links; joining every piece's `text` gives back `body` exactly. */
export function linkify(body: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  const push = (text: string) => {
    if (!text) return;
    const prev = pieces.at(-1);
    if (prev?.kind === "text") prev.text += text;
    else pieces.push({ kind: "text", text });
  };
  for (const match of body.matchAll(candidate)) {
    const start = match.index;
    const text = trimUrl(match[0]);
    const href = safeHref(text);
    if (!href) continue;
    push(body.slice(last, start));
    pieces.push({ kind: "link", text, href });
    last = start + text.length;
  }
  push(body.slice(last));
  return pieces;
}
