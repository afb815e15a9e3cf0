import { describe, expect, it } from "vitest";
import { isSameOrigin, statusForRefusal } from "./secure-route";

const post = (headers: Record<string, string>) =>
  new Request("https://localhost:3443/api/chat/send", { method: "POST", headers });

describe("secure route", () => {
  it("route: only a same-origin HTTPS page may POST; a missing or foreign Origin is refused", () => {
    expect(isSameOrigin(post({ origin: "https://localhost:3443", host: "localhost:3443" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "https://evil.example", host: "localhost:3443" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "http://localhost:3443", host: "localhost:3443" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "null", host: "localhost:3443" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3443" }))).toBe(false);
  });

  it("route: refusals map to the statuses the contract names", () => {
    expect(statusForRefusal("invalidInput")).toBe(400);
    expect(statusForRefusal("signedOut")).toBe(401);
    expect(statusForRefusal("chatNotYours")).toBe(403);
    expect(statusForRefusal("notOriginal")).toBe(403);
    expect(statusForRefusal("chatAlreadyTaken")).toBe(409);
    expect(statusForRefusal("chatClosed")).toBe(409);
    expect(statusForRefusal("bodyTooLarge")).toBe(413);
    expect(statusForRefusal("slowDown")).toBe(429);
    expect(statusForRefusal("outage")).toBe(503);
  });
});
