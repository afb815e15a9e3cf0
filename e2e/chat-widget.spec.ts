import { expect, test, type Browser, type Page } from "@playwright/test";
import { newContext, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { e2e } from "./support/config";
import { randomSuffix, testDb } from "./support/users";

// The customer's side of the support chat: the "Need Help" button and its panel (components/chat).
// The rep's side and the full two-way chat are in the console's specs.

const needHelp = (page: Page) => page.getByRole("button", { name: "Need Help", exact: true });
const panel = (page: Page) => page.getByRole("dialog", { name: "Chat with customer service" });

/**
 * A rep of this spec's own counts as online for the next 45 seconds (as if their /console/chats
 * tab had just sent a heartbeat), so the panel offers a chat instead of Contact Us. Not the demo
 * rep: the console's specs run alongside, and the demo rep's tab closing or choosing Away there
 * would take the desk offline here. Touch again before each read.
 */
async function repOnline() {
  await testDb().query(
    `with r as (
       insert into users (role, username, email, first_name, last_name)
       values ('rep', 'e2e_widget_desk', 'e2e_widget_desk@example.test', 'Desk', 'Rep')
       on conflict (lower(username)) do update set role = 'rep'
       returning id
     )
     insert into chat_presence (staff_id, away, last_seen_at)
       select id, false, now() from r
     on conflict (staff_id) do update set away = false, last_seen_at = now()`,
  );
}

/** Opens the panel on / and starts a chat as a new visitor; returns the conversation's id. */
async function startVisitorChat(page: Page, question: string): Promise<{ id: number; email: string }> {
  await repOnline();
  await page.goto("/");
  await needHelp(page).click();
  const dialog = panel(page);
  await dialog.getByLabel("Your name").fill(`Visitor ${randomSuffix()}`);
  const email = `visitor-${randomSuffix()}@example.com`;
  await dialog.getByLabel("E-mail address").fill(email);
  await dialog.getByLabel("Your question").fill(question);
  await dialog.getByRole("button", { name: "Start chat" }).click();
  await expect(dialog.getByRole("listitem").filter({ hasText: question })).toContainText("Sent");
  // The page's own request context carries the visitor cookie the start set.
  const state = (await (await page.request.get("/api/chat/state")).json()) as {
    data: { conversation: { id: number } | null };
  };
  expect(state.data.conversation).not.toBeNull();
  return { id: state.data.conversation!.id, email };
}

/** The demo rep, signed in in a browser context of their own, calling the chat endpoints directly. */
async function repSession(browser: Browser) {
  const context = await newContext(browser, { storageState: storageStateFor("rep") });
  const post = (path: string, data: Record<string, unknown>) =>
    context.request.post(path, { data, headers: { Origin: e2e.baseURL } });
  return { context, post };
}

/** Horizontal overflow of the page, in pixels (0 when nothing scrolls sideways). */
function sidewaysOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe("signed out", () => {
  test("chat widget: Need Help is on the home page and the privacy policy, and the panel loads on first use", async ({
    page,
  }) => {
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    await page.goto("/privacy");
    await expect(needHelp(page)).toBeVisible();
    await page.goto("/");
    await expect(needHelp(page)).toBeVisible();
    await expect(needHelp(page)).toHaveAttribute("aria-expanded", "false");
    await expect(panel(page)).toHaveCount(0);

    const before = scripts.length;
    await needHelp(page).click();
    await expect(panel(page)).toBeVisible();
    // The panel's code was not part of the page: opening it fetched at least one more chunk.
    expect(scripts.length).toBeGreaterThan(before);
  });

  test("chat widget: the open panel has no axe violations; Escape closes it and gives focus back to the button", async ({
    page,
  }) => {
    await repOnline();
    await page.goto("/");
    await needHelp(page).click();
    const dialog = panel(page);
    await expect(dialog.getByRole("heading", { name: "Start a chat" })).toBeVisible();
    // The keyboard lands in the form, not behind the panel.
    await expect(dialog.getByLabel("Your name")).toBeFocused();
    await expectNoAxeViolations(page);

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(needHelp(page)).toBeFocused();
    await expect(needHelp(page)).toHaveAttribute("aria-expanded", "false");

    // Keyboard only: Enter on the focused button opens it again.
    await page.keyboard.press("Enter");
    await expect(dialog).toBeVisible();
  });

  test("chat widget: a visitor starts a chat, sees it sent, and keeps it across a navigation and a reload", async ({
    page,
  }, testInfo) => {
    await repOnline();
    await page.goto("/");
    await needHelp(page).click();
    const dialog = panel(page);

    // Name and e-mail are required before the first message.
    await dialog.getByLabel("Your question").fill("Hello?");
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await expect(dialog.getByText("Enter your name")).toBeVisible();
    await expect(dialog.getByLabel("Your name")).toBeFocused();

    const name = `Visitor ${randomSuffix()}`;
    const question = `Why is my bill higher this month? See https://lumen.example/bill <b>${randomSuffix()}</b>`;
    await dialog.getByLabel("Your name").fill(name);
    await dialog.getByLabel("E-mail address").fill(`visitor-${randomSuffix()}@example.com`);
    await dialog.getByLabel("Topic (optional)").selectOption("Billing");
    await dialog.getByLabel("Your question").fill(question);
    await expect(dialog.getByText(`${question.length} of 2,000 characters`)).toBeVisible();
    await dialog.getByRole("button", { name: "Start chat" }).click();

    const mine = dialog.getByRole("listitem").filter({ hasText: "Why is my bill higher" });
    await expect(mine).toContainText("Sent");
    // Markup stays text; the address is a link that leaves nothing behind.
    await expect(mine).toContainText("<b>");
    const link = mine.getByRole("link", { name: "https://lumen.example/bill" });
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
    await expect(dialog).toContainText("Waiting for a representative");
    await expect(dialog.getByLabel("Your message")).toBeVisible();
    await expectNoAxeViolations(page);

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: testInfo.outputPath(`chat-panel-${width}.png`) });
    }

    // A client navigation keeps the panel (it lives in the root layout) and the conversation.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Privacy Policy" }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(dialog).toBeVisible();
    await expect(mine).toContainText("Sent");

    // A second message through the open conversation.
    await dialog.getByLabel("Your message").fill("Also: when is it due?");
    await dialog.getByLabel("Your message").press("Enter");
    await expect(dialog.getByRole("listitem").filter({ hasText: "Also: when is it due?" })).toContainText("Sent");

    // A reload brings the panel back open, with the conversation read again from the server.
    await page.reload();
    await expect(dialog).toBeVisible();
    await expect(mine).toContainText("Sent");
    await expect(dialog.getByRole("listitem").filter({ hasText: "Also: when is it due?" })).toBeVisible();

    // Closed by the customer, it stays closed after a reload.
    await dialog.getByRole("button", { name: "Close chat panel" }).click();
    await expect(dialog).toBeHidden();
    await expect(needHelp(page)).toBeFocused();
    await page.reload();
    await expect(needHelp(page)).toBeVisible();
    await expect(dialog).toHaveCount(0);
  });

  test("chat widget: with no rep online the panel says so and offers Contact Us inline", async ({ page }, testInfo) => {
    // Other specs may have a rep online at this moment: the server's answer is kept except its
    // availability, which is what this test is about.
    await page.route("**/api/chat/state", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { ok: boolean; data?: { support: unknown } };
      if (body.ok && body.data) {
        body.data.support = {
          available: false,
          reason: "noRep",
          expectedReply: "within one business day",
          hours: null,
        };
      }
      await route.fulfill({ response, json: body });
    });
    await page.goto("/");
    await needHelp(page).click();
    const dialog = panel(page);
    await expect(dialog).toContainText("No representative is online to chat right now.");
    await expect(dialog).toContainText("within one business day");
    await expect(dialog.getByRole("heading", { name: "Send us a message" })).toBeVisible();
    await expect(dialog.getByLabel("Your name")).toBeFocused();
    await expectNoAxeViolations(page);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: testInfo.outputPath(`chat-offline-${width}.png`) });
    }
  });
});

test.describe("with a rep", () => {
  test("chat widget: the rep joins; the customer ends the chat after confirming and mails the transcript", async ({
    page,
    browser,
  }) => {
    const { id, email } = await startVisitorChat(page, `Is there an outage in my area? ${randomSuffix()}`);
    const dialog = panel(page);
    const rep = await repSession(browser);
    try {
      expect((await rep.post("/api/console/chats/take", { conversationId: id })).status()).toBe(200);
      await expect(dialog.getByRole("listitem").filter({ hasText: "Riley joined" })).toBeVisible();
      await expect(dialog).toContainText("You're chatting with Riley");
      await expect(page.locator(`[id$="-announce"]`)).toContainText("Riley joined the chat");
    } finally {
      await rep.context.close();
    }

    await dialog.getByRole("button", { name: "End chat" }).click();
    const confirm = dialog.getByRole("group", { name: "End this chat?" });
    await expect(confirm.getByRole("button", { name: "Keep chatting" })).toBeFocused();
    await confirm.getByRole("button", { name: "Keep chatting" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(dialog.getByRole("button", { name: "End chat" })).toBeFocused();

    await dialog.getByRole("button", { name: "End chat" }).click();
    await dialog.getByRole("button", { name: "Yes, end chat" }).click();
    await expect(dialog.getByRole("listitem").filter({ hasText: "You ended the chat." })).toBeVisible();
    await expect(dialog).toContainText("This chat has ended");
    await expect(dialog.getByLabel("Your message")).toHaveCount(0);

    await dialog.getByRole("button", { name: "E-mail me the transcript" }).click();
    await expect(dialog.getByRole("status").filter({ hasText: "Transcript sent to" })).toBeVisible();
    // The address is masked: the visitor's full address never comes back.
    await expect(dialog).not.toContainText(email);
    await expectNoAxeViolations(page);
  });

  test("chat widget: the rep's typing shows and their message arrives live and is announced", async ({
    page,
    browser,
  }) => {
    const { id } = await startVisitorChat(page, `Can I change my plan? ${randomSuffix()}`);
    const dialog = panel(page);
    const rep = await repSession(browser);
    try {
      expect((await rep.post("/api/console/chats/take", { conversationId: id })).status()).toBe(200);
      await expect(dialog).toContainText("You're chatting with Riley");

      expect((await rep.post("/api/chat/typing", { conversationId: id })).status()).toBe(200);
      await expect(dialog.getByText("Riley is typing")).toBeVisible();

      const reply = `Yes — see https://lumen.example/plans <script>alert(1)</script> ${randomSuffix()}`;
      expect((await rep.post("/api/chat/send", { conversationId: id, body: reply })).status()).toBe(200);
      const item = dialog.getByRole("listitem").filter({ hasText: "see https://lumen.example/plans" });
      await expect(item).toContainText("<script>alert(1)</script>");
      await expect(item.getByRole("link", { name: "https://lumen.example/plans" })).toHaveAttribute(
        "href",
        "https://lumen.example/plans",
      );
      await expect(dialog.getByText("Riley is typing")).toHaveCount(0);
      await expect(page.locator(`[id$="-announce"]`)).toContainText("Riley says: Yes — see");
    } finally {
      await rep.context.close();
    }
  });
});

test.describe("stream down", () => {
  test("chat widget: when the stream keeps failing the panel polls, and the rep joining still shows", async ({
    page,
    browser,
  }) => {
    let streamTries = 0;
    await page.route("**/api/chat/stream**", async (route) => {
      streamTries++;
      await route.fulfill({ status: 503, contentType: "text/plain", body: "Temporarily unavailable" });
    });
    const { id } = await startVisitorChat(page, `Polling, please ${randomSuffix()}`);
    const rep = await repSession(browser);
    try {
      expect((await rep.post("/api/console/chats/take", { conversationId: id })).status()).toBe(200);
    } finally {
      await rep.context.close();
    }
    // Within a poll (5 s) of the take, read from GET /api/chat/state.
    await expect(panel(page).getByRole("listitem").filter({ hasText: "Riley joined" })).toBeVisible({
      timeout: 8_000,
    });
    expect(streamTries).toBeGreaterThan(0);
    // Shown once, although every poll brings the whole conversation again.
    await page.waitForTimeout(5_500);
    await expect(panel(page).getByRole("listitem").filter({ hasText: "Riley joined" })).toHaveCount(1);
  });
});

test.describe("signed-in customer", () => {
  test.use({ storageState: storageStateFor("customer") });

  test("chat widget: on MyAccount the customer is greeted by name, with no form to fill", async ({ page }) => {
    await repOnline();
    await page.goto("/account");
    await needHelp(page).click();
    const dialog = panel(page);
    await expect(dialog).toContainText("Hi Dana");
    await expect(dialog.getByLabel("Your name")).toHaveCount(0);
    await expect(dialog.getByLabel("Your message")).toBeFocused();
    await expect(dialog.getByRole("button", { name: "Start chat" })).toBeDisabled();
  });
});

test.describe("staff", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("chat widget: the staff console has no Need Help button", async ({ page }) => {
    await page.goto("/console");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff console");
    await expect(needHelp(page)).toHaveCount(0);
  });
});
