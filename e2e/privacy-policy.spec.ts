import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const ANCHORS = [
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

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function screenshots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await noSidewaysScroll(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("privacy policy: version and date at the top, every table-of-contents anchor lands on its section @smoke", async ({
  page,
}) => {
  // Eleven anchors and axe scans of the long policy page: slow on a busy two-core machine.
  test.slow();
  await page.goto("/privacy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Online Privacy Policy");
  await expect(page.getByText("Version 2005-11-14 · Effective Nov 14, 2005")).toBeVisible();
  const toc = page.getByRole("navigation", { name: "Contents" });
  await expect(toc.getByRole("link")).toHaveCount(ANCHORS.length);
  for (const anchor of ANCHORS) {
    await toc.locator(`a[href="#${anchor}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/privacy#${anchor}$`));
    await expect(page.locator(`h2#${anchor}`)).toBeInViewport();
  }
  await expect(page.getByRole("link", { name: /privacy@/ })).toHaveAttribute("href", /^mailto:privacy@/);
  await expect(page.getByText("{{")).toHaveCount(0);
  await expectNoAxeViolations(page);
  await screenshots(page, "privacy");

  await page.goto("/privacy/versions");
  await expect(page.getByRole("link", { name: "Version 2005-11-14" })).toBeVisible();
  await expect(page.getByText("— In force", { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Version 2005-11-14" }).click();
  await expect(page).toHaveURL("/privacy/versions/2005-11-14");
  await expect(page.getByText("This is the version in force.")).toBeVisible();
});

test("privacy policy: a profile's 'Why we ask' link opens its section @smoke", async ({ page }) => {
  await page.goto("/privacy#safeguards");
  await expect(page.locator("h2#safeguards")).toBeInViewport();
});
