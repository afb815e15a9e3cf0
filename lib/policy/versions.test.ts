import { describe, expect, it } from "vitest";
import { renderPolicy } from "./render";
import {
  currentPolicy,
  pickCurrent,
  pickUpcoming,
  policyVersionInForce,
  publishedText,
  upcomingPolicy,
} from "./versions";

const REQUIRED_ANCHORS = [
  "what-we-collect",
  "how-we-use",
  "sharing",
  "review-and-change",
  "safeguards",
  "cookies",
  "links",
  "ad-services",
  "children",
  "updates",
  "contact",
];

const v = (version: string, effective: string) => ({
  id: 0,
  version,
  title: "t",
  summary: "",
  material: false,
  effectiveAt: new Date(effective),
  publishedAt: new Date(effective),
});

describe("policy versions", () => {
  it("versions: chosen by date — before, exactly on and after an effective date", () => {
    const list = [v("a", "2005-11-14T00:00:00Z"), v("b", "2031-03-01T00:00:00Z")];
    expect(pickCurrent(list, new Date("2005-11-13T23:59:59Z"))).toBeNull();
    expect(pickCurrent(list, new Date("2031-02-28T23:59:59.999Z"))?.version).toBe("a");
    expect(pickUpcoming(list, new Date("2031-02-28T23:59:59.999Z"))?.version).toBe("b");
    expect(pickCurrent(list, new Date("2031-03-01T00:00:00Z"))?.version).toBe("b");
    expect(pickUpcoming(list, new Date("2031-03-01T00:00:00Z"))).toBeNull();
    expect(pickCurrent(list, new Date("2040-01-01T00:00:00Z"))?.version).toBe("b");
  });

  it("versions: the shipped 2005 policy is in force from 14 November 2005 and cited by consent rows", async () => {
    expect(await currentPolicy(new Date("2005-11-13T12:00:00Z"))).toBeNull();
    expect((await currentPolicy(new Date("2005-11-14T00:00:00Z")))?.version).toBe("2005-11-14");
    expect(await policyVersionInForce()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await upcomingPolicy(new Date("2005-01-01T00:00:00Z"))).toMatchObject({ version: "2005-11-14" });
  });

  it("versions: the shipped text has every required anchor, the configured brand and address, no placeholder left", async () => {
    const row = await publishedText("2005-11-14");
    expect(row).not.toBeNull();
    const { html, headings } = renderPolicy({ id: row.id, markdown: row.markdown, published: true });
    const ids = headings.filter((h) => h.level === 2).map((h) => h.id);
    expect(ids).toEqual(REQUIRED_ANCHORS);
    expect(html).toContain("Lumen Telecom");
    expect(html).toContain('href="mailto:privacy@lumen-telecom.example"');
    expect(html).not.toContain("{{");
    for (const fact of ["30 days", "under 13", "not a contract", "Need Help", "Firefox", "Safari", "Edge", "Chrome"]) {
      expect(html).toContain(fact);
    }
    // Rendered once per published version: the same object comes back.
    expect(renderPolicy({ id: row.id, markdown: row.markdown, published: true })).toBe(
      renderPolicy({ id: row.id, markdown: row.markdown, published: true }),
    );
  });
});
