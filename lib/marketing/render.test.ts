import { describe, expect, it } from "vitest";
import { linksNotAlone } from "@/lib/mail/render";
import { appUrl } from "@/lib/env";
import { compileNewsletter, MERGE_FIELDS, personalise, renderNewsletter, unknownMergeFields } from "./render";

const footer = { why: "You said yes to Special offers on Dec 1, 2026.", unsubscribeUrl: "https://localhost/u/tok" };
const render = (body: string, firstName: string | null = "Ann", subject = "News") =>
  renderNewsletter({ subject, body }, { firstName }, footer);
/** The HTML part's body, without the document around it and the footer. */
const bodyHtml = (html: string) => html.slice(html.indexOf('<div style="max-width:600px">'), html.indexOf("<hr style"));
/** The text part without the "Why did I get this?" section. */
const bodyText = (text: string) => text.slice(0, text.indexOf("\n\nWhy did I get this?"));

describe("newsletter rendering", () => {
  it("render: Markdown becomes inline-styled HTML (headings, lists, emphasis, links, code) in a mail document", () => {
    const { html } = render(
      "# Big news\n\n## Details\n\nSome *new* and **bold** words, `code` and a [link](https://example.com/offer).\n\n- one\n- two\n\n1. first\n2. second\n\n```\nlet x = 1;\n```\n",
    );
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain("<title>News</title>");
    expect(html).toMatch(/<h1 style="[^"]+">Big news<\/h1>/);
    expect(html).toMatch(/<h2 style="[^"]+">Details<\/h2>/);
    expect(html).toContain("<em>new</em>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toMatch(/<code style="[^"]*monospace[^"]*">code<\/code>/);
    expect(html).toMatch(/<a href="https:\/\/example.com\/offer" style="[^"]+">link<\/a>/);
    expect(html).toMatch(/<ul style="[^"]+">\n<li style="[^"]+">one<\/li>/);
    expect(html).toMatch(/<ol style="[^"]+">\n<li style="[^"]+">first<\/li>/);
    expect(html).toMatch(/<pre style="[^"]+">let x = 1;<\/pre>/);
    // Inline styles only: mail clients drop style sheets.
    expect(html).not.toMatch(/<style|<link|class=/i);
  });

  it("render: the text part is readable — underlined headings, list markers, emphasis, code indented, each link's address on its own line", () => {
    const { text } = render(
      "# Big news\n\nSome *new* and **bold** words, `code` and a [link](https://example.com/offer) to read.\n\n- one\n  - nested\n- two\n\n1. first\n2. second\n\n> quoted\n\n```\nlet x = 1;\n```\n\nBare https://example.com/bare here.",
    );
    expect(bodyText(text)).toBe(
      [
        "Big news",
        "========",
        "",
        "Some _new_ and *bold* words, code and a link",
        "https://example.com/offer",
        "to read.",
        "",
        "- one",
        "  - nested",
        "- two",
        "",
        "1. first",
        "2. second",
        "",
        "> quoted",
        "",
        "    let x = 1;",
        "",
        "Bare",
        "https://example.com/bare",
        "here.",
      ].join("\n"),
    );
    expect(linksNotAlone(text)).toEqual([]);
  });

  it("render: punctuation after a link ends its words' line; e-mail addresses and phone numbers read inline", () => {
    const { text } = render(
      "Read the [details](https://e.example/a). Then [this](https://e.example/b), or https://e.example/c.\n\nWrite to [support@x.example](mailto:support@x.example) or [call us](tel:+18005550100).",
    );
    expect(bodyText(text)).toBe(
      [
        "Read the details.",
        "https://e.example/a",
        "Then this,",
        "https://e.example/b",
        "or.",
        "https://e.example/c",
        "",
        "Write to support@x.example or call us (+18005550100).",
      ].join("\n"),
    );
    expect(linksNotAlone(text)).toEqual([]);
  });

  it("render: raw HTML is shown as text, javascript: links are not links, scripts never appear", () => {
    const { html, text } = render(
      '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [also](JaVaScRiPt:alert(2))\n\n<a href="javascript:alert(3)">a</a>',
    );
    const body = bodyHtml(html);
    expect(body).not.toMatch(/<script|<img|<a href="javascript|onerror=alert\(1\)>/i);
    expect(body).toContain("&lt;a href=&quot;javascript:alert(3)&quot;&gt;a&lt;/a&gt;");
    expect(body).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(body).not.toMatch(/href="javascript/i);
    expect(text).toContain('<script>alert("x")</script>'); // plain text: harmless, shown as typed
  });

  it("render: no remote images — an image becomes its alt text linking to it; site paths become absolute; anchors are dropped", () => {
    const { html, text } = render(
      "![Our new phone](https://cdn.example/phone.png)\n\n[Offers](/offers) and [top](#top)",
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).toMatch(/<a href="https:\/\/cdn.example\/phone.png" style="[^"]+">Our new phone<\/a>/);
    expect(html).toContain(`<a href="${appUrl()}/offers"`);
    expect(html).not.toContain('href="#top"');
    expect(bodyHtml(html)).toContain("and top</p>");
    expect(bodyText(text)).toBe(`Our new phone\nhttps://cdn.example/phone.png\n\nOffers\n${appUrl()}/offers\nand top`);
  });

  it("render: {first_name} and its fallback in subject, HTML and text; an empty or missing name takes the fallback", () => {
    const source = { subject: "{first_name|Hello}, news", body: "Hi {first_name|there}!\n\nBye {first_name}." };
    const ann = renderNewsletter(source, { firstName: "Ann" }, footer);
    expect(ann.subject).toBe("Ann, news");
    expect(bodyHtml(ann.html)).toContain("Hi Ann!</p>");
    expect(bodyText(ann.text)).toBe("Hi Ann!\n\nBye Ann.");
    for (const firstName of [null, "", "   "]) {
      const none = renderNewsletter(source, { firstName }, footer);
      expect(none.subject).toBe("Hello, news");
      expect(bodyText(none.text)).toBe("Hi there!\n\nBye .");
    }
    expect(MERGE_FIELDS).toContain("first_name");
  });

  it("render: a merge value is escaped in HTML, URL-encoded in a link, and cannot change a link's scheme", () => {
    const evil = '<b>Bo</b> "x" & <script>';
    const { html, text, subject } = renderNewsletter(
      {
        subject: "For {first_name}",
        body: "**Dear {first_name}**\n\n[Your page](https://example.com/p?n={first_name}) and [x]({first_name})",
      },
      { firstName: evil },
      footer,
    );
    const body = bodyHtml(html);
    expect(body).toContain("<strong>Dear &lt;b&gt;Bo&lt;/b&gt; &quot;x&quot; &amp; &lt;script&gt;</strong>");
    expect(body).not.toContain("<b>");
    expect(body).toContain(`href="https://example.com/p?n=${encodeURIComponent(evil).replace(/'/g, "&#39;")}"`);
    // A field cannot be a whole address: the link check refuses it before the value is known.
    expect(body).not.toMatch(/<a href="[^h]/);
    expect(html).toContain("<title>For &lt;b&gt;Bo&lt;/b&gt;");
    expect(subject).toBe(`For ${evil}`);
    expect(text).toContain(`Dear ${evil}`);
    // A line break in a name cannot start a new line (or header).
    expect(renderNewsletter({ subject: "{first_name}", body: "x" }, { firstName: "A\r\nBcc: x" }, footer).subject).toBe(
      "A  Bcc: x",
    );
  });

  it("render: doubled braces are literal; other braces stay as typed; unknown fields are named in order, once", () => {
    const { text } = render("Write {{first_name}} for the name; {1,2} and { } stay; {nickname} too.");
    expect(bodyText(text)).toBe("Write {first_name} for the name; {1,2} and { } stay; {nickname} too.");
    expect(unknownMergeFields("Hi {nickname} {first_name}", "{city|home} {nickname} {{literal}} {Last_Name}")).toEqual([
      "nickname",
      "city",
      "Last_Name",
    ]);
    expect(unknownMergeFields("Hi {first_name|there} {{x}} {1} { }")).toEqual([]);
  });

  it("render: every mail ends with 'Why did I get this?', the consent line and the unsubscribe link (HTML and text)", () => {
    const { html, text } = render("Body");
    expect(html).toMatch(
      /<h2 [^>]+>Why did I get this\?<\/h2>\n<p [^>]+>You said yes to Special offers on Dec 1, 2026.<\/p>\n<p [^>]+>Unsubscribe with one click:<br>\n<a href="https:\/\/localhost\/u\/tok" [^>]+>https:\/\/localhost\/u\/tok<\/a><\/p>\n<\/div>\n<\/body>\n<\/html>$/,
    );
    expect(text).toBe(
      "Body\n\nWhy did I get this?\n-------------------\nYou said yes to Special offers on Dec 1, 2026.\nUnsubscribe with one click:\nhttps://localhost/u/tok\n",
    );
    const escaped = renderNewsletter({ subject: "s", body: "b" }, { firstName: null }, { ...footer, why: "<i>x</i>" });
    expect(escaped.html).toContain("&lt;i&gt;x&lt;/i&gt;");
  });

  it("render: compiled once, personalised per person (a heading's underline fits each name)", () => {
    const compiled = compileNewsletter({ subject: "s", body: "# Hi {first_name|you}\n\nText" });
    expect(personalise(compiled, { firstName: "Alexandra" }, footer).text).toMatch(/^Hi Alexandra\n={12}\n/);
    expect(personalise(compiled, { firstName: null }, footer).text).toMatch(/^Hi you\n={6}\n/);
  });
});
