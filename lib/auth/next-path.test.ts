import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("next-path: same-site paths are kept", () => {
    expect(safeNextPath("/account/security?tab=1")).toBe("/account/security?tab=1");
  });
  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "account",
    "/\u0000x",
    "",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
  ])("next-path: %j falls back to /account", (value) => {
    expect(safeNextPath(value)).toBe("/account");
  });
});
