import { describe, expect, it } from "vitest";
import { linkify, safeHref } from "./linkify";

const links = (body: string) => linkify(body).filter((p) => p.kind === "link");

describe("linkify", () => {
  it("chat: plain text stays one text piece", () => {
    expect(linkify("Hello, how can I help?")).toEqual([{ kind: "text", text: "Hello, how can I help?" }]);
    expect(linkify("")).toEqual([]);
  });

  it("chat: an https URL in a sentence becomes a link without the sentence's full stop", () => {
    expect(linkify("See https://lumen.example/help/billing. Thanks")).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://lumen.example/help/billing", href: "https://lumen.example/help/billing" },
      { kind: "text", text: ". Thanks" },
    ]);
  });

  it("chat: joining the pieces gives back the message exactly", () => {
    const body = "a http://x.example/q?a=1&b=2#top, (https://y.example/path_(1)) and https://z.example!";
    expect(
      linkify(body)
        .map((p) => p.text)
        .join(""),
    ).toBe(body);
    expect(links(body).map((p) => p.text)).toEqual([
      "http://x.example/q?a=1&b=2#top",
      "https://y.example/path_(1)",
      "https://z.example",
    ]);
  });

  it("chat: a closing bracket around a URL is not part of it", () => {
    expect(links("(see https://lumen.example/a)").map((p) => p.href)).toEqual(["https://lumen.example/a"]);
  });

  it("chat: other schemes, markup and scheme-less hosts stay text", () => {
    for (const body of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      'vbscript:msgbox("x")',
      "www.lumen.example",
      "lumen.example/help",
      "ftp://files.example/x",
      "mailto:help@lumen.example",
      "https://",
      "http:///nohost",
    ]) {
      expect(links(body), body).toEqual([]);
    }
  });

  it("chat: HTML around a URL is not taken into the link", () => {
    const pieces = linkify('<a href="https://evil.example">click</a>');
    expect(links('<a href="https://evil.example">click</a>').map((p) => p.href)).toEqual(["https://evil.example/"]);
    expect(pieces.map((p) => p.text).join("")).toBe('<a href="https://evil.example">click</a>');
  });

  it("chat: a javascript: URL hidden after an http prefix does not become one", () => {
    expect(links("http://javascript:alert(1)").every((p) => p.href.startsWith("http://"))).toBe(true);
  });

  it("chat: upper-case schemes are links, normalised", () => {
    expect(links("HTTPS://Lumen.Example/Help").map((p) => p.href)).toEqual(["https://lumen.example/Help"]);
  });
});

describe("safeHref", () => {
  it("accepts only http and https with a host", () => {
    expect(safeHref("https://lumen.example")).toBe("https://lumen.example/");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
  });
});
