import "server-only";
import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";

/**
 * The one Markdown renderer of the app (the privacy policy, newsletters). Raw HTML in the source
 * is never passed through: `html: false` makes markdown-it escape it, so a `<script>` typed into
 * a policy draft shows as text. Links are limited to http(s), mailto, tel and same-site paths.
 * Server-only, so the parser never reaches a browser bundle.
 */

export type Heading = { level: number; id: string; text: string };
export type Rendered = { html: string; headings: Heading[] };

/** `## Title {#anchor}`: an explicit, stable anchor; otherwise one is derived from the words. */
const EXPLICIT_ID = /\s*\{#([a-z0-9][a-z0-9-]{0,63})\}\s*$/i;
const SAFE_LINK = /^(https?:|mailto:|tel:|\/(?!\/)|#)/i;

export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug || "section";
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

/** Assigns ids to headings (explicit or derived, unique within the document) and collects them. */
function anchorHeadings(tokens: Token[]): Heading[] {
  const seen = new Map<string, number>();
  const headings: Heading[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open.type !== "heading_open") continue;
    const inline = tokens[i + 1];
    let explicit: string | undefined;
    const last = inline.children?.[inline.children.length - 1];
    if (last?.type === "text") {
      const m = EXPLICIT_ID.exec(last.content);
      if (m) {
        explicit = m[1].toLowerCase();
        last.content = last.content.slice(0, m.index);
      }
    }
    const text = (inline.children ?? [])
      .filter((t) => t.type === "text" || t.type === "code_inline")
      .map((t) => t.content)
      .join("")
      .trim();
    inline.content = inline.content.replace(EXPLICIT_ID, "");
    const base = explicit ?? slugify(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const id = n === 0 ? base : `${base}-${n + 1}`;
    open.attrSet("id", id);
    headings.push({ level: Number(open.tag.slice(1)), id, text });
  }
  return headings;
}

/** Other sites' links say so to assistive tech users and carry no referrer or opener. */
function markExternalLinks(tokens: Token[]): void {
  for (const t of tokens) {
    if (t.type === "inline") markExternalLinks(t.children ?? []);
    if (t.type !== "link_open") continue;
    const href = String(t.attrGet("href") ?? "");
    if (/^https?:/i.test(href)) t.attrSet("rel", "noopener noreferrer");
  }
}

/** Replaces `{{name}}` placeholders (brand, addresses) from configuration; unknown ones stay. */
export function substitute(source: string, vars: Record<string, string>): string {
  return source.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

export function renderMarkdown(source: string, vars: Record<string, string> = {}): Rendered {
  const env = {};
  const tokens = md.parse(substitute(source, vars), env);
  const headings = anchorHeadings(tokens);
  markExternalLinks(tokens);
  return { html: md.renderer.render(tokens, md.options, env), headings };
}

/**
 * The same parser's tokens, for a renderer that must restyle them (newsletters' mail HTML and
 * plain text, lib/marketing/render.ts): raw HTML is already escaped and unsafe links already
 * refused here, exactly as for the policy pages.
 */
export function parseMarkdown(source: string): Token[] {
  return md.parse(source, {});
}

/** Renders tokens from parseMarkdown (after a caller restyled them) with the same rules. */
export function renderTokens(tokens: Token[]): string {
  return md.renderer.render(tokens, md.options, {});
}
