import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, ROUTE_BODY_LIMITS, bodyLimitFor, routePatternFor } from "./body-limits";

const appDir = path.resolve(import.meta.dirname, "../../app");

/** Every route handler file under app/, as the URL pattern it serves (route groups dropped). */
function routeHandlerPatterns(dir = appDir, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      found.push(...routeHandlerPatterns(path.join(dir, entry.name), prefix + segment));
    } else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) {
      found.push(prefix || "/");
    }
  }
  return found;
}

describe("body limits", () => {
  it("body limits: every app/**/route.ts has its own entry, so a new route cannot forget one", () => {
    const patterns = routeHandlerPatterns();
    expect(patterns.length).toBeGreaterThan(10);
    const missing = patterns.filter((p) => !(p in ROUTE_BODY_LIMITS));
    expect(missing).toEqual([]);
  });

  it("body limits: the unsubscribe POST takes 1 KB, the chat JSON 16 KB, the GET-only exports nothing", () => {
    expect(bodyLimitFor("/u/abc.def-ghi")).toBe(1024);
    expect(bodyLimitFor("/u/abc/")).toBe(1024);
    expect(bodyLimitFor("/api/chat/send")).toBe(16 * 1024);
    expect(bodyLimitFor("/account/privacy/export")).toBe(0);
    expect(bodyLimitFor("/console/marketing/export")).toBe(0);
    expect(bodyLimitFor("/api/chat/stream")).toBe(0);
  });

  it("body limits: a page (where a POST can only be a server action) gets the action limit", () => {
    expect(routePatternFor("/account/profile")).toBeNull();
    expect(bodyLimitFor("/account/profile")).toBe(ACTION_BODY_LIMIT);
    expect(bodyLimitFor("/u")).toBe(ACTION_BODY_LIMIT);
    expect(bodyLimitFor("/u/a/b")).toBe(ACTION_BODY_LIMIT);
    expect(bodyLimitFor("/api/chat/sendx")).toBe(ACTION_BODY_LIMIT);
  });

  it("body limits: Next's own action limit is the same number, so server.ts always answers first (413, not Next's 500)", async () => {
    const configFile = path.resolve(import.meta.dirname, "../../next.config.mjs");
    const nextConfig = (
      (await import(configFile)) as { default: { experimental?: { serverActions?: { bodySizeLimit?: string } } } }
    ).default;
    const limit = nextConfig.experimental?.serverActions?.bodySizeLimit;
    expect(limit).toBe(`${ACTION_BODY_LIMIT / 1024}kb`);
  });
});
