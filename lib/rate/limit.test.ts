import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hitRateLimits } from "./limit";

describe("rate limits", () => {
  it("rate: allows max hits per window, then asks to wait", async () => {
    const key = `test:${randomUUID()}`;
    const limit = { key, max: 3, windowSeconds: 60 };
    expect(await hitRateLimits([limit])).toBe(0);
    expect(await hitRateLimits([limit])).toBe(0);
    expect(await hitRateLimits([limit])).toBe(0);
    const wait = await hitRateLimits([limit]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it("rate: concurrent hits never exceed the limit", async () => {
    const key = `test:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => hitRateLimits([{ key, max: 4, windowSeconds: 60 }])),
    );
    expect(results.filter((w) => w === 0)).toHaveLength(4);
  });
});
