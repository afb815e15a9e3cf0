/**
 * The HTML part of transactional mail, made from its plain text so both say the same thing: one
 * renderer instead of hand-written HTML per template. Every character of the text is escaped; a
 * line that is only a link becomes an <a> on its own line. Inline styles only (mail clients drop
 * <style> and external sheets), and no remote images or scripts.
 */

/** A line that is nothing but one https link (how every template writes its links). */
const linkLine = /^https:\/\/[^\s<>"]+$/;

/** Escapes text for HTML content and attribute values (the newsletter renderer uses it too). */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const paragraphStyle = "margin:0 0 16px 0";
const linkStyle = "color:#1d4ed8;text-decoration:underline;word-break:break-all";

function renderParagraph(lines: string[]): string {
  const html = lines
    .map((line) => {
      const trimmed = line.trim();
      if (linkLine.test(trimmed)) {
        const href = escapeHtml(trimmed);
        return `<a href="${href}" style="${linkStyle}">${href}</a>`;
      }
      return escapeHtml(line);
    })
    .join("<br>\n");
  return `<p style="${paragraphStyle}">${html}</p>`;
}

/** The HTML part for a mail whose plain text is `text` (paragraphs are separated by blank lines). */
export function renderMailHtml(subject: string, text: string): string {
  const paragraphs = text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.split("\n").filter((l) => l.trim() !== ""))
    .filter((p) => p.length > 0);
  return [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#ffffff;color:#111827;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    '<div style="max-width:600px">',
    ...paragraphs.map(renderParagraph),
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");
}

/**
 * Lines of `text` where a link shares its line with anything else (a full stop, a word): mail
 * clients and mailboxes that detect links would make it part of the URL. Empty when every link
 * stands alone, as it must in every template.
 */
export function linksNotAlone(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => /https?:\/\//.test(line) && !linkLine.test(line.trim()));
}
