import { expect, test } from "@playwright/test";

// Sign-in per role is in auth.setup.ts (it saves the state the other specs reuse).

test("health: app and database report up @smoke", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
});
