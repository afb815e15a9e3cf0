import { describe, expect, it } from "vitest";
import { diffCounts, lineDiff } from "./diff";

describe("policy line diff", () => {
  it("diff: unchanged text is all 'same'", () => {
    expect(lineDiff("a\nb", "a\nb")).toEqual([
      { kind: "same", text: "a" },
      { kind: "same", text: "b" },
    ]);
  });

  it("diff: a changed line is removed then added, in place, with the rest kept", () => {
    expect(lineDiff("a\nb\nc\nd", "a\nB\nc\nd\ne")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
      { kind: "same", text: "d" },
      { kind: "added", text: "e" },
    ]);
  });

  it("diff: insertions and deletions in the middle, CRLF and trailing spaces ignored", () => {
    const d = lineDiff("one\r\ntwo  \nthree\nfour", "zero\none\ntwo\nfour\nfive");
    expect(d.map((l) => `${l.kind[0]}${l.text}`)).toEqual(["azero", "sone", "stwo", "rthree", "sfour", "afive"]);
    expect(diffCounts(d)).toEqual({ added: 2, removed: 1 });
  });

  it("diff: empty before or after", () => {
    expect(diffCounts(lineDiff("", "x\ny"))).toEqual({ added: 2, removed: 1 });
    expect(lineDiff("x", "")).toEqual([
      { kind: "removed", text: "x" },
      { kind: "added", text: "" },
    ]);
  });
});
