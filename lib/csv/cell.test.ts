import { describe, expect, it } from "vitest";
import { csvField, formulaSafe, safeCsvRow } from "./cell";

describe("formula-safe CSV cells", () => {
  it.each([
    ["=1+1"],
    ["+1"],
    ["-1"],
    ["@SUM(A1)"],
    ["\tTab"],
    ["\rCR"],
    // Full-width and small forms fold to = + - @ under NFKC, as spreadsheets fold them.
    ["\uff1d1+1"],
    ["\uff0b1"],
    ["\uff0d1"],
    ["\uff20SUM(A1)"],
    ["\ufe621"],
    // White space before the formula starter: spreadsheets skip it.
    [" =1+1"],
    ["\n=1+1"],
    ["  \r\n+1"],
    ["\u00a0=1"],
    ["\u3000\uff1d1"],
    ["\ufeff=1"],
    ["\u200b=1"],
  ])("csv: %j is neutralised with a leading apostrophe, kept otherwise as it was", (value) => {
    expect(formulaSafe(value)).toBe(`'${value}`);
  });

  it.each([["Jo"], ["Jo = 1"], ["\uff2a\uff4f"], ["a@b.example"], [" Jo"], ["\nJo"], [""], ["1-2"]])(
    "csv: %j is not a formula and is left alone",
    (value) => {
      expect(formulaSafe(value)).toBe(value);
    },
  );

  it("csv: a neutralised cell is still quoted when it holds a line break", () => {
    expect(safeCsvRow(["\n=1+1", "ok"])).toBe(`"'\n=1+1",ok\n`);
    expect(csvField('a"b')).toBe('"a""b"');
  });
});
