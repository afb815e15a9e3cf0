import "server-only";
import type { Token } from "markdown-it";
import { appUrl } from "@/lib/env";
import { escapeHtml } from "@/lib/mail/render";
import { parseMarkdown, renderTokens } from "@/lib/markdown/render";

// The composer's preview writes a sample "why" line beside the rendering; one import for both.
export { consentLine } from "./why";

/**
 * A newsletter as it goes on the wire: its Markdown made into an inline-styled HTML part and a
 * plain-text part by the app's one Markdown renderer (raw HTML escaped, unsafe links refused),
 * personalised with merge fields, ending with the "Why did I get this?" section.
 *
 * Merge fields: `{first_name}`, or `{first_name|there}` with a fallback used when the value is
 * empty. A literal brace next to a name is written doubled: `{{first_name}}` shows as
 * `{first_name}`. Any other brace (`{ }`, `{1,2}`, JSON) stays as typed. Values are escaped in the
 * HTML part and URL-encoded inside a link's address, so a name can never add markup or change
 * where a link goes; a field cannot start a link's address (the scheme check refuses it).
 *
 * The Markdown is rendered once per newsletter (compileNewsletter) with a marker where each field
 * stands; each person's copy only replaces the markers (personalise), so a batch of 1,000 mails
 * parses the body once.
 */

export const MERGE_FIELDS: readonly string[] = ["first_name"];

export type NewsletterParts = { subject: string; html: string; text: string };
export type MergeValues = { firstName: string | null };
export type WhyFooter = { why: string; unsubscribeUrl: string };

// `{{` and `}}` are literal braces; `{name}` or `{name|fallback}` a field. Listed in this order so
// `{{first_name}}` is read as two literal braces around plain text.
const FIELD = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]{0,39})(?:\|([^{}\r\n]{0,100}))?\}/g;

// Private-use characters stand for a field between parsing and personalising. Markdown leaves
// them alone in text; in a link's address it percent-encodes them (ENCODED). Stripped from the
// source first, so nobody can type one.
const OPEN = "\uE000";
const CLOSE = "\uE001";
/** A text-part line that becomes the underline of the line above it once its length is known. */
const UNDERLINE = "\uE002";
const MARKERS = /[\uE000-\uE002]/g;
/** A field's marker as text, as percent-encoded inside a link's address, or an underline's. */
const PIECE = /\uE000(\d+)\uE001|%EE%80%80(\d+)%EE%80%81|\uE002(.)/g;

/**
 * A piece as a string of its own. Slices of markdown-it's output were measured to cost ~6 ms to
 * join for a 20,000-character newsletter, against 0.07 ms once copied: every mail joins them.
 */
const copy = (piece: string) => Buffer.from(piece, "utf8").toString("utf8");

function cut(marked: string): Template {
  const pieces: Template = [];
  let at = 0;
  for (const m of marked.matchAll(PIECE)) {
    if (m.index > at) pieces.push(copy(marked.slice(at, m.index)));
    if (m[1] !== undefined) pieces.push({ field: Number(m[1]), in: "text" });
    else if (m[2] !== undefined) pieces.push({ field: Number(m[2]), in: "url" });
    else {
      // The heading is the line above, after the list or quote prefix this line repeats.
      const end = marked.lastIndexOf("\n", m.index);
      const start = marked.lastIndexOf("\n", end - 1) + 1;
      const prefix = m.index - end - 1;
      pieces.push({ underline: m[3], line: cut(marked.slice(start + prefix, end)) });
    }
    at = m.index + m[0].length;
  }
  if (at < marked.length) pieces.push(copy(marked.slice(at)));
  return pieces;
}

/** Names of `{fields}` in the texts that do not exist, in the order first met, each once. */
export function unknownMergeFields(...texts: string[]): string[] {
  const unknown: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(FIELD)) {
      const name = m[1];
      if (name && !MERGE_FIELDS.includes(name) && !unknown.includes(name)) unknown.push(name);
    }
  }
  return unknown;
}

type Field = { name: string; fallback: string | null; literal: string };

/**
 * A template cut at its fields once, so each person's copy is a join: no regular expression runs
 * per mail (measured: 2.8 ms per 20,000-character newsletter with replace(), a small fraction of
 * that as a join).
 */
type Piece = string | { field: number; in: "text" | "url" } | { underline: string; line: Template };
type Template = Piece[];

export type CompiledNewsletter = {
  subject: Template;
  /** The body's HTML (not yet the whole document). */
  html: Template;
  /** The body's plain text. */
  text: Template;
  fields: Field[];
};

/** Replaces each field with its marker (fields are numbered across subject and body). */
function markFields(source: string, fields: Field[]): string {
  return source.replace(MARKERS, "").replace(FIELD, (whole: string, name?: string, fallback?: string) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    fields.push({ name: name!, fallback: fallback ?? null, literal: whole });
    return `${OPEN}${fields.length - 1}${CLOSE}`;
  });
}

// The house style of mail HTML (see lib/mail/render.ts): inline styles only, since mail clients
// drop <style> and external sheets.
const font = "font-family:Arial,Helvetica,sans-serif";
const mono = "font-family:Consolas,Menlo,Courier,monospace;font-size:14px";
const linkStyle = "color:#1d4ed8;text-decoration:underline;word-break:break-word";
const styles: Record<string, string> = {
  paragraph_open: "margin:0 0 16px 0",
  bullet_list_open: "margin:0 0 16px 0;padding:0 0 0 24px",
  ordered_list_open: "margin:0 0 16px 0;padding:0 0 0 24px",
  list_item_open: "margin:0 0 4px 0",
  blockquote_open: "margin:0 0 16px 0;padding:0 0 0 16px;border-left:4px solid #d1d5db;color:#374151",
  link_open: linkStyle,
  code_inline: `${mono};background:#f3f4f6;padding:1px 4px`,
  hr: "border:0;border-top:1px solid #d1d5db;margin:24px 0",
  table_open: "border-collapse:collapse;margin:0 0 16px 0",
  th_open: "border:1px solid #d1d5db;padding:4px 8px;text-align:left",
  td_open: "border:1px solid #d1d5db;padding:4px 8px;text-align:left",
};
const headingStyle: Record<string, string> = {
  h1: "margin:0 0 16px 0;font-size:24px;line-height:1.3",
  h2: "margin:24px 0 12px 0;font-size:20px;line-height:1.3",
};
const smallHeading = "margin:20px 0 8px 0;font-size:17px;line-height:1.3";
const preStyle = `${mono};margin:0 0 16px 0;padding:12px;background:#f3f4f6;white-space:pre-wrap;word-break:break-word`;

/**
 * Where a link or image address leads from a mail: same-site paths become absolute (a mail has no
 * site to be relative to); an in-page anchor leads nowhere, so it is dropped ("").
 */
function mailHref(href: string): string {
  if (href.startsWith("#")) return "";
  if (href.startsWith("/")) return `${appUrl()}${href}`;
  return href;
}

/** Alt text of an image token (its children are the alt's inline tokens). */
function altText(t: Token): string {
  return (t.children ?? []).map((c) => c.content).join("") || t.content;
}

/** Restyles the parsed tokens for mail: inline styles, absolute links, no images, code as <pre>. */
function forMail(tokens: Token[]): void {
  // Links do not nest, so one flag pairs an anchor's dropped link_open with its link_close.
  let dropped = false;
  let lists = 0;
  for (const t of tokens) {
    if (t.children) forMail(t.children);
    if (t.type === "bullet_list_close" || t.type === "ordered_list_close") lists--;
    if ((t.type === "bullet_list_open" || t.type === "ordered_list_open") && lists++ > 0) {
      // A list inside a list item sits close under it.
      t.attrSet("style", "margin:4px 0 0 0;padding:0 0 0 24px");
    } else if (t.type === "heading_open") {
      t.attrSet("style", headingStyle[t.tag] ?? smallHeading);
    } else if (t.type === "fence" || t.type === "code_block") {
      // An html_block token is written out as it is; its content is escaped here.
      t.type = "html_block";
      t.content = `<pre style="${preStyle}">${escapeHtml(t.content.replace(/\n$/, ""))}</pre>\n`;
    } else if (t.type === "image") {
      // No remote images (they track opens and most clients block them anyway): the alt text,
      // as a link to the picture when it has an address.
      const src = mailHref(String(t.attrGet("src") ?? ""));
      const alt = escapeHtml(altText(t) || "Image");
      t.type = "html_inline";
      t.content = src ? `<a href="${escapeHtml(src)}" style="${linkStyle}">${alt}</a>` : alt;
    } else if (t.type === "link_open") {
      const href = mailHref(String(t.attrGet("href") ?? ""));
      dropped = !href;
      if (dropped) {
        // An in-page anchor: its words stay, without a link.
        t.type = "html_inline";
        t.content = "";
      } else {
        t.attrSet("href", href);
        t.attrSet("style", linkStyle);
      }
    } else if (t.type === "link_close" && dropped) {
      t.type = "html_inline";
      t.content = "";
      dropped = false;
    } else if (styles[t.type]) {
      const own = t.attrGet("style"); // a table column's alignment
      t.attrSet("style", own ? `${styles[t.type]};${own}` : styles[t.type]);
    }
  }
}

/** The text of inline tokens; every link's address on its own line, after the link's words. */
function inlineText(children: Token[]): string[] {
  let s = "";
  const links: { start: number; href: string; bare: boolean }[] = [];
  const link = (label: string, href: string, bare = false) => {
    if (!href) return label;
    // An e-mail address or phone number reads as itself, within the sentence.
    if (/^(mailto|tel):/i.test(href)) {
      const shown = href.replace(/^(mailto|tel):/i, "");
      return bare || label.trim() === shown ? shown : `${label} (${shown})`;
    }
    // A bare address typed in the text (linkify, <autolink>) is said once, as the address.
    if (bare || label.trim() === href) return `\n${href}\n`;
    return `${label}\n${href}\n`;
  };
  for (const t of children) {
    switch (t.type) {
      case "text":
      case "code_inline":
        s += t.content;
        break;
      case "softbreak":
      case "hardbreak":
        s += "\n";
        break;
      case "strong_open":
      case "strong_close":
        s += "*";
        break;
      case "em_open":
      case "em_close":
        s += "_";
        break;
      case "link_open":
        links.push({
          start: s.length,
          href: mailHref(String(t.attrGet("href") ?? "")),
          bare: t.markup === "linkify" || t.markup === "autolink",
        });
        break;
      case "link_close": {
        const l = links.pop();
        if (l) s = s.slice(0, l.start) + link(s.slice(l.start), l.href, l.bare);
        break;
      }
      case "image":
        s += link(altText(t) || "Image", mailHref(String(t.attrGet("src") ?? "")));
        break;
    }
  }
  return (
    s
      // Punctuation right after a link ends the line of its words, not a line of its own.
      .replace(
        /([^\n]*)\n(\S+)\n([.,;:!?)]+)(?=\s|$)/g,
        (_, words: string, url: string, mark: string) => `${words.trimEnd()}${mark}\n${url}\n`,
      )
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
  );
}

/** The plain-text part: headings underlined, lists marked, quotes with "> ", code indented. */
function toText(tokens: Token[]): string {
  const out: string[] = [];
  // One entry per open list item or quote: what starts its first line, and its other lines.
  const prefixes: { first: string; rest: string; used: boolean }[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let row: string[] | null = null;
  const prefix = () =>
    prefixes
      .map((p) => {
        const s = p.used ? p.rest : p.first;
        p.used = true;
        return s;
      })
      .join("");
  const emit = (lines: string[]) => {
    for (const line of lines) out.push(prefix() + line);
  };
  const blankLine = () =>
    prefixes
      .map((p) => p.rest)
      .join("")
      .trimEnd();
  const blank = () => out.push(blankLine());
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case "heading_open": {
        emit(inlineText(tokens[i + 1].children ?? []));
        if (t.tag === "h1" || t.tag === "h2") emit([`${UNDERLINE}${t.tag === "h1" ? "=" : "-"}`]);
        blank();
        i += 2;
        break;
      }
      case "paragraph_open": {
        emit(inlineText(tokens[i + 1].children ?? []));
        if (!t.hidden) blank(); // a tight list's items are not separated by blank lines
        i += 2;
        break;
      }
      case "bullet_list_open":
      case "ordered_list_open":
        lists.push({ ordered: t.type === "ordered_list_open", n: Number(t.attrGet("start") ?? 1) });
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        if (lists.length === 0) blank();
        break;
      case "list_item_open": {
        const list = lists[lists.length - 1];
        const marker = list.ordered ? `${list.n++}. ` : "- ";
        prefixes.push({ first: marker, rest: " ".repeat(marker.length), used: false });
        break;
      }
      case "list_item_close":
        prefixes.pop();
        break;
      case "blockquote_open":
        prefixes.push({ first: "> ", rest: "> ", used: false });
        break;
      case "blockquote_close":
        // The quote's last paragraph left a ">" line: the quote ends without it.
        if (out.length && out[out.length - 1] === blankLine()) out.pop();
        prefixes.pop();
        blank();
        break;
      case "fence":
      case "code_block": {
        emit(
          t.content
            .replace(/\n$/, "")
            .split("\n")
            .map((l) => `    ${l}`),
        );
        blank();
        break;
      }
      case "hr":
        emit(["----------"]);
        blank();
        break;
      case "tr_open":
        row = [];
        break;
      case "inline":
        if (row) row.push(inlineText(t.children ?? []).join(" "));
        break;
      case "tr_close":
        emit([(row ?? []).join(" | ")]);
        row = null;
        break;
      case "table_close":
        blank();
        break;
    }
  }
  // Blank lines collapse to one; none at the start or the end.
  const lines = out.map((l) => l.trimEnd()).filter((l, k, all) => l !== "" || (k > 0 && all[k - 1] !== ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines.join("\n");
}

/** Renders a newsletter's Markdown once, with a marker where each merge field stands. */
export function compileNewsletter(source: { subject: string; body: string }): CompiledNewsletter {
  const fields: Field[] = [];
  const subject = markFields(source.subject, fields);
  const body = markFields(source.body, fields);
  // Parsed twice: the text part is read from tokens that forMail has not restyled for HTML.
  const text = toText(parseMarkdown(body));
  const tokens = parseMarkdown(body);
  forMail(tokens);
  return { subject: cut(subject), html: cut(renderTokens(tokens)), text: cut(text), fields };
}

/** A field's value for this person: the value, else its fallback, else nothing. */
function valueOf(field: Field, person: MergeValues): string {
  if (!MERGE_FIELDS.includes(field.name)) return field.literal;
  // Control characters (a line break in a name) would end a header or a line of the text part.
  const value = (person.firstName ?? "").replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return value || (field.fallback ?? "");
}

/**
 * Joins a template with this person's values. In a link's address a value is URL-encoded; `escape`
 * is applied to what is filled in (HTML-escaping for the HTML part). An underline is as long as
 * its heading once filled in. Built as an array joined once: repeated += makes a rope that every
 * later read flattens again (measured: several ms per mail for a long newsletter).
 */
function fill(template: Template, values: string[], escape: (v: string) => string): string {
  const out: string[] = [];
  for (const p of template) {
    if (typeof p === "string") out.push(p);
    else if ("field" in p) {
      const value = values[p.field] ?? "";
      out.push(escape(p.in === "url" ? encodeURIComponent(value) : value));
    } else {
      out.push(p.underline.repeat(Math.max(3, Math.min(72, fill(p.line, values, escape).length))));
    }
  }
  return out.join("");
}

/** One person's copy of a compiled newsletter, with the "Why did I get this?" section. */
export function personalise(c: CompiledNewsletter, person: MergeValues, footer: WhyFooter): NewsletterParts {
  const values = c.fields.map((f) => valueOf(f, person));
  const subject = fill(c.subject, values, (v) => v);
  const body = fill(c.html, values, escapeHtml);
  const text = fill(c.text, values, (v) => v);
  const why = "Why did I get this?";
  const url = escapeHtml(footer.unsubscribeUrl);
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#ffffff;color:#111827;${font};font-size:16px;line-height:1.5">`,
    '<div style="max-width:600px">',
    body.trimEnd(),
    `<hr style="${styles.hr}">`,
    `<h2 style="margin:0 0 8px 0;font-size:16px;line-height:1.3">${why}</h2>`,
    `<p style="margin:0 0 8px 0;font-size:14px;color:#374151">${escapeHtml(footer.why)}</p>`,
    `<p style="margin:0;font-size:14px;color:#374151">Unsubscribe with one click:<br>`,
    `<a href="${url}" style="${linkStyle}">${url}</a></p>`,
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");
  const textPart = [
    text,
    "",
    why,
    "-".repeat(why.length),
    footer.why,
    "Unsubscribe with one click:",
    footer.unsubscribeUrl,
    "",
  ].join("\n");
  return { subject, html, text: textPart };
}

/** A newsletter for one person (the composer's preview and test send; the worker compiles once). */
export function renderNewsletter(
  source: { subject: string; body: string },
  person: MergeValues,
  footer: WhyFooter,
): NewsletterParts {
  return personalise(compileNewsletter(source), person, footer);
}
