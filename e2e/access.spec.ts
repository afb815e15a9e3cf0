import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, storageStateFor, submitSignIn } from "./support/auth";

const FORBIDDEN_HEADING = "You don't have access to this page";

test.describe("as the demo customer", () => {
  test.use({ storageState: storageStateFor("customer") });

  test("access: customer opening /console gets the 403 page @smoke", async ({ page }) => {
    const res = await page.goto("/console");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
    await expect(page.getByText("Staff console")).toHaveCount(0);
  });
});

test.describe("as the demo rep", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("access: rep opening /account gets the 403 page @smoke", async ({ page }) => {
    const res = await page.goto("/account");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
  });

  test("access: rep opening /account/security gets the 403 page", async ({ page }) => {
    const res = await page.goto("/account/security");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
    await expect(page.getByRole("heading", { name: "Change password" })).toHaveCount(0);
  });
});

test("access: signed-out visit to /account/security goes to sign-in, then back @smoke", async ({ page }) => {
  await page.goto("/account/security");
  await expect(page).toHaveURL("/login?next=%2Faccount%2Fsecurity");
  await submitSignIn(page, "demo", DEMO_PASSWORD);
  await expect(page).toHaveURL("/account/security");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign-in and security");
});

for (const evil of ["//evil.example", "/\\evil.example", "https://evil.example/account"]) {
  test(`access: a next of ${evil} is not followed after sign-in @smoke`, async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent(evil)}`);
    await submitSignIn(page, "demo", DEMO_PASSWORD);
    await expect(page).toHaveURL("/account");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Dana");
  });
}
