import { describe, expect, it } from "vitest";
import { renderMarkdown, slugify, substitute } from "./render";

describe("markdown", () => {
  it("markdown: raw HTML and script in the source come out escaped, never as tags", () => {
    const { html } = renderMarkdown(
      'Hello <script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick="x()">block</div>',
    );
    expect(html).not.toMatch(/<script|<img|<div/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("markdown: javascript:, data: and protocol-relative links are not made into links", () => {
    const { html } = renderMarkdown(
      "[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](//evil.example) [d](JaVaScRiPt:x)",
    );
    expect(html).not.toContain("<a ");
    const safe = renderMarkdown("[e](https://example.com) [f](/privacy#cookies) [g](mailto:privacy@example.com)").html;
    expect(safe).toContain('<a href="https://example.com" rel="noopener noreferrer">e</a>');
    expect(safe).toContain('<a href="/privacy#cookies">f</a>');
    expect(safe).toContain('<a href="mailto:privacy@example.com">g</a>');
  });

  it("markdown: explicit heading anchors are kept and removed from the text; others are derived and unique", () => {
    const { html, headings } = renderMarkdown(
      "## What we collect {#what-we-collect}\n\n### Über *cookies* & more\n\n### Über cookies & more\n\n## Contact {#Contact}",
    );
    expect(headings).toEqual([
      { level: 2, id: "what-we-collect", text: "What we collect" },
      { level: 3, id: "uber-cookies-more", text: "Über cookies & more" },
      { level: 3, id: "uber-cookies-more-2", text: "Über cookies & more" },
      { level: 2, id: "contact", text: "Contact" },
    ]);
    expect(html).toContain('<h2 id="what-we-collect">What we collect</h2>');
    expect(html).not.toContain("{#");
  });

  it("markdown: placeholders take configured values; unknown ones stay visible", () => {
    expect(substitute("Ask {{brand}} at {{ privacyEmail }} or {{nope}}", { brand: "B", privacyEmail: "p@x" })).toBe(
      "Ask B at p@x or {{nope}}",
    );
    const { html } = renderMarkdown("[{{privacyEmail}}](mailto:{{privacyEmail}})", { privacyEmail: "p@x.example" });
    expect(html).toContain('<a href="mailto:p@x.example">p@x.example</a>');
  });

  it("markdown: bare web addresses become links; slugs never come out empty", () => {
    expect(renderMarkdown("see https://example.com/help").html).toContain('href="https://example.com/help"');
    expect(slugify("!!!")).toBe("section");
  });
});
