import { expect, test } from "@playwright/test";
import { e2e } from "./support/config";

// Runs in its own Playwright project after every other spec (see playwright.config.ts): cutting
// the database affects the whole server.
const OUTAGE_TEXT = "We can't reach our systems right now — nothing was changed, please try again";
const control = (state: "down" | "up") =>
  fetch(`http://127.0.0.1:${e2e.proxyControlPort}/${state}`, { method: "POST" });

test.describe.configure({ mode: "serial" });

test.skip(e2e.db !== "postgres", "The outage needs the Postgres proxy");

test.afterEach(async () => {
  await control("up");
});

test("health: with the database stopped, health and pages answer 503, then recover", async ({ request, page }) => {
  test.setTimeout(60_000);
  expect((await request.get("/api/health")).status()).toBe(200);

  expect((await control("down")).ok).toBe(true);
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/health");
        return { status: res.status(), database: (await res.json()).database };
      },
      { timeout: 15_000 },
    )
    .toEqual({ status: 503, database: "down" });

  const res = await page.goto("/login");
  expect(res?.status()).toBe(503);
  await expect(page.getByRole("main")).toContainText(OUTAGE_TEXT);
  await expect(page.getByLabel("Password")).toHaveCount(0);

  expect((await control("up")).ok).toBe(true);
  await expect
    .poll(async () => (await request.get("/api/health")).status(), { timeout: 15_000, intervals: [250, 500, 1000] })
    .toBe(200);
  const back = await page.goto("/login");
  expect(back?.status()).toBe(200);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});
