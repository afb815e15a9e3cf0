import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { newContext, signIn, storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { e2e } from "./support/config";
import { createCustomer, randomSuffix, testDb } from "./support/users";

const FORBIDDEN_HEADING = "You don't have access to this page";
// The JSON endpoints refuse a POST without the site's own Origin (docs/support-chat.md).
const sameOrigin = { Origin: e2e.baseURL };

/** Whether the lead's chat endpoints are in this build (the UI is built against the contract first). */
async function chatEndpointsExist(request: APIRequestContext): Promise<boolean> {
  const res = await request.get("/api/console/chats/queue");
  return res.status() !== 404;
}

async function openConsole(browser: Browser, role: "rep" | "admin"): Promise<Page> {
  const context = await newContext(browser, { storageState: storageStateFor(role) });
  const page = await context.newPage();
  await page.goto("/console/chats");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Support chats");
  return page;
}

test.describe("as the demo rep", () => {
  test.use({ storageState: storageStateFor("rep") });

  test("support console: the rep's queue page and the links to it", async ({ page }) => {
    await page.goto("/console");
    await page.getByRole("link", { name: "Support chats and Contact Us requests" }).click();
    await expect(page).toHaveURL("/console/chats");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Support chats");
    await expect(page.getByRole("heading", { name: /^Waiting/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "My chats" })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Contact Us requests/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /Set me (away|available)/ })).toBeVisible();
    // Only admins manage the support settings: the rep is not offered the link.
    await expect(page.getByRole("link", { name: "Support settings" })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test("support console: a rep cannot open the admin's support settings", async ({ page }) => {
    const res = await page.goto("/console/admin/support");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
  });

  test("support console: closed-chat search answers and links back", async ({ page }) => {
    await page.goto("/console/chats/closed");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Closed chats");
    await page.getByRole("searchbox", { name: "Search" }).fill(`nobody-${randomSuffix()}`);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/console\/chats\/closed\?q=nobody-/);
    await expect(page.getByText("No closed chats found.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Support chats" })).toHaveAttribute("href", "/console/chats");
  });

  test("support console: an open Contact Us request is marked handled", async ({ page }) => {
    const name = `Contact ${randomSuffix()}`;
    const {
      rows: [row],
    } = await testDb().query<{ id: number }>(
      `insert into contact_requests (name, email, topic, message) values ($1, $2, 'Billing', 'Please call me back about my bill.') returning id`,
      [name, `${randomSuffix()}@example.com`],
    );
    await page.goto("/console/chats");
    const item = page.getByRole("listitem").filter({ hasText: name });
    await expect(item).toContainText("Please call me back about my bill.");
    await item.getByRole("button", { name: /Mark handled/ }).click();
    await expect(page.getByText(name)).toHaveCount(0);
    const { rows } = await testDb().query<{ status: string }>(`select status from contact_requests where id = $1`, [
      row.id,
    ]);
    expect(rows[0].status).toBe("handled");
  });
});

test.describe("as the demo marketing user", () => {
  test.use({ storageState: storageStateFor("marketing") });

  test("support console: marketing staff are refused the chats and the settings", async ({ page }) => {
    for (const path of ["/console/chats", "/console/chats/closed", "/console/admin/support"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(FORBIDDEN_HEADING);
    }
  });
});

test.describe("as the demo admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("support settings: the admin saves business hours, then opens at all hours again", async ({ page }) => {
    await page.goto("/console");
    await page.getByRole("link", { name: /Support settings/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Support settings");
    const always = page.getByLabel("Open every day at all hours");
    await always.uncheck();
    // Hours that still answer all day long: other specs running at the same time expect an open desk.
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
      await page.getByLabel(`${day} opens`).fill("00:00");
      await page.getByLabel(`${day} closes`).fill("23:59");
    }
    await page.getByLabel("Expected reply time (shown when the chat is offline)").fill("within two business days");
    await page.getByRole("button", { name: "Save support settings" }).click();
    await expect(page.locator("#settings-message")).toHaveText("Support settings saved.");
    const saved = await testDb().query<{ hours: Record<string, [string, string]> | null; expected_reply: string }>(
      `select hours, expected_reply from support_settings where id = 1`,
    );
    expect(saved.rows[0].hours?.sat).toEqual(["00:00", "23:59"]);
    expect(saved.rows[0].expected_reply).toBe("within two business days");

    await page.reload();
    await page.getByLabel("Open every day at all hours").check();
    await page.getByLabel("Expected reply time (shown when the chat is offline)").fill("within one business day");
    await page.getByRole("button", { name: "Save support settings" }).click();
    await expect(page.locator("#settings-message")).toHaveText("Support settings saved.");
    const restored = await testDb().query<{ hours: unknown }>(`select hours from support_settings where id = 1`);
    expect(restored.rows[0].hours).toBeNull();
  });

  test("support settings: a closing time before the opening time is refused", async ({ page }) => {
    await page.goto("/console/admin/support");
    await page.getByLabel("Open every day at all hours").uncheck();
    await page.getByLabel("Monday opens").fill("18:00");
    await page.getByLabel("Monday closes").fill("09:00");
    await page.getByRole("button", { name: "Save support settings" }).click();
    await expect(page.getByText("Monday: the closing time must be after the opening time")).toBeVisible();
    const { rows } = await testDb().query<{ hours: unknown }>(`select hours from support_settings where id = 1`);
    expect(rows[0].hours).toBeNull();
  });

  test("support settings: the admin adds a canned reply and deletes it", async ({ page }) => {
    const title = `Greeting ${randomSuffix()}`;
    await page.goto("/console/admin/support");
    const add = page.getByRole("form", { name: "New canned reply" });
    await add.getByLabel("Title (reps pick it by this)").fill(title);
    await add.getByLabel("Text of the reply").fill("Hello! Thanks for waiting. How can I help?");
    await add.getByRole("button", { name: "Add reply" }).click();
    await expect(page.getByRole("form", { name: `Edit canned reply ${title}` })).toBeVisible();
    await page.getByRole("button", { name: `Delete ${title}` }).click();
    await expect(page.getByRole("form", { name: `Edit canned reply ${title}` })).toHaveCount(0);
    const { rows } = await testDb().query(`select 1 from chat_canned_replies where title = $1`, [title]);
    expect(rows).toHaveLength(0);
  });
});

test("support console: a visitor's chat is taken, answered both ways live and ended by the rep", async ({
  browser,
}) => {
  const rep = await openConsole(browser, "rep");
  test.skip(!(await chatEndpointsExist(rep.request)), "the chat endpoints are not in this build yet");
  const admin = await openConsole(browser, "admin");
  // A second admin console without its live stream keeps showing the chat after someone took it.
  const stale = await newContext(browser, { storageState: storageStateFor("admin") });
  await stale.route("**/api/chat/stream**", (route) => route.abort());
  const stalePage = await stale.newPage();
  await expect(rep.locator("#presence-status")).toContainText("You are available");

  const visitor = await newContext(browser);
  const name = `Visitor ${randomSuffix()}`;
  const started = await visitor.request.post("/api/chat/start", {
    headers: sameOrigin,
    data: { name, email: `${randomSuffix()}@example.com`, topic: "Billing", message: "Hi, <b>is</b> anyone there?" },
  });
  expect(started.status(), await started.text()).toBe(200);
  const { conversationId } = ((await started.json()) as { data: { conversationId: number } }).data;

  // The queue updates live on both consoles.
  const repItem = rep.getByRole("list", { name: "Waiting chats" }).getByRole("listitem").filter({ hasText: name });
  const adminItem = admin.getByRole("list", { name: "Waiting chats" }).getByRole("listitem").filter({ hasText: name });
  await expect(repItem).toContainText("Visitor");
  await expect(adminItem).toBeVisible();
  await stalePage.goto("/console/chats");
  const staleItem = stalePage.getByRole("listitem").filter({ hasText: name });
  await expect(staleItem).toBeVisible();

  await repItem.getByRole("button", { name: `Take chat #${conversationId} with ${name}` }).click();
  await expect(rep.getByRole("heading", { name: `Chat #${conversationId} with ${name}` })).toBeVisible();
  // Taken: it leaves the other console's queue, and taking it again is refused.
  await expect(adminItem).toHaveCount(0);
  const again = await admin.request.post("/api/console/chats/take", { headers: sameOrigin, data: { conversationId } });
  expect(again.status()).toBe(409);
  await staleItem.getByRole("button", { name: /^Take/ }).click();
  await expect(stalePage.locator("#console-message")).toHaveText("Another representative has already taken this chat.");
  await expect(staleItem).toHaveCount(0);

  const log = rep.getByRole("log", { name: `Messages of chat #${conversationId}` });
  // HTML a visitor typed is shown as text, inert.
  await expect(log).toContainText("Hi, <b>is</b> anyone there?");
  await expect(log.locator("b")).toHaveCount(0);
  // A visitor's side panel shows what they typed, not an account.
  await expect(rep.getByText("Visitor, not signed in.")).toBeVisible();

  // The visitor types, then writes: the rep sees both live.
  await visitor.request.post("/api/chat/typing", { headers: sameOrigin, data: { conversationId } });
  await expect(rep.getByText(`${name} is typing…`)).toBeVisible();
  await visitor.request.post("/api/chat/send", {
    headers: sameOrigin,
    data: { conversationId, body: "My bill doubled, see https://example.com/bill" },
  });
  await expect(log).toContainText("My bill doubled");
  await expect(log.getByRole("link", { name: "https://example.com/bill" })).toHaveAttribute(
    "rel",
    "noopener noreferrer nofollow",
  );

  // The rep answers; the visitor's state has it.
  const box = rep.getByLabel("Your message");
  await box.fill("Let me look at that for you.");
  await expect(rep.getByText("28 / 2,000 characters")).toBeVisible();
  await box.press("Enter");
  await expect(log).toContainText("Let me look at that for you.");
  await expect(box).toHaveValue("");
  await expect
    .poll(async () => {
      const state = (await (await visitor.request.get("/api/chat/state")).json()) as {
        data: { conversation: { messages: { body: string; author: string }[] } | null };
      };
      return state.data.conversation?.messages.some((m) => m.author === "rep" && m.body.includes("look at that"));
    })
    .toBe(true);

  // The rep ends it with a reason; the visitor sees the chat closed.
  await rep.getByRole("button", { name: "End chat", exact: true }).click();
  await rep.getByLabel("Reason for ending").selectOption("Question answered");
  await rep.getByRole("button", { name: "End chat now" }).click();
  await expect(rep.getByText(/This chat has ended: Question answered/)).toBeVisible();
  await expect
    .poll(async () => {
      const state = (await (await visitor.request.get("/api/chat/state")).json()) as {
        data: { conversation: { status: string } | null };
      };
      return state.data.conversation?.status;
    })
    .toBe("closed");
  const { rows } = await testDb().query<{ status: string; close_reason: string }>(
    `select status, close_reason from chat_conversations where id = $1`,
    [conversationId],
  );
  expect(rows[0]).toEqual({ status: "closed", close_reason: "Question answered" });

  // The ended chat is found by the visitor's name; its transcript shows both sides as text.
  await rep.goto(`/console/chats/closed?q=${encodeURIComponent(name)}`);
  await rep.getByRole("link", { name: `Chat #${conversationId} with ${name}` }).click();
  await expect(rep.getByRole("heading", { level: 1 })).toHaveText(`Chat #${conversationId} with ${name}`);
  const transcript = rep.getByRole("list", { name: "Transcript" });
  await expect(transcript).toContainText("Hi, <b>is</b> anyone there?");
  await expect(transcript).toContainText("Let me look at that for you.");
  await rep.goto("/console/chats");

  // Away and back: presence is stored for the widget to read.
  await rep.getByRole("button", { name: "Set me away" }).click();
  await expect(rep.locator("#presence-status")).toContainText("You are away");
  await rep.getByRole("button", { name: "Set me available" }).click();
  await expect(rep.locator("#presence-status")).toContainText("You are available");

  await Promise.all([rep.context().close(), admin.context().close(), stale.close(), visitor.close()]);
});

test("support console: a customer's details open with the chat as the reason, and a proposed change is withdrawn, then approved", async ({
  browser,
}) => {
  const rep = await openConsole(browser, "rep");
  test.skip(!(await chatEndpointsExist(rep.request)), "the chat endpoints are not in this build yet");
  const customer = await createCustomer();
  const customerContext = await newContext(browser);
  const customerPage = await customerContext.newPage();
  await signIn(customerPage, customer.username, customer.password);
  const started = await customerPage.request.post("/api/chat/start", {
    headers: sameOrigin,
    data: { message: "Please update my phone number." },
  });
  expect(started.status(), await started.text()).toBe(200);
  const { conversationId } = ((await started.json()) as { data: { conversationId: number } }).data;

  const item = rep
    .getByRole("list", { name: "Waiting chats" })
    .getByRole("listitem")
    .filter({ hasText: `#${conversationId}` });
  await expect(item).toContainText("Signed-in customer");
  await item.getByRole("button", { name: /^Take/ }).click();

  // Nothing personal is shown before the reason; the chat is the reason, pre-filled.
  const panel = rep.getByRole("complementary");
  await expect(panel.getByLabel("Reason", { exact: true })).toHaveValue("chat");
  await expect(panel).not.toContainText(customer.accountNumber);
  await panel.getByRole("button", { name: "Open customer details" }).click();
  await expect(panel).toContainText(customer.accountNumber);
  await expect(panel).toContainText(customer.firstName);
  await expectNoAxeViolations(rep);
  const audit = await testDb().query<{ detail: { chatId?: number; accessReason?: string } }>(
    `select detail from audit_events where subject_user_id = $1 and action = 'staff.customer_viewed'`,
    [customer.id],
  );
  expect(audit.rows.map((r) => [r.detail.accessReason, Number(r.detail.chatId)])).toEqual([["chat", conversationId]]);

  // Proposed, then withdrawn: the status follows.
  await panel.getByLabel("New phone number").fill("(303) 555-0199");
  await panel.getByRole("button", { name: "Propose to customer" }).click();
  const proposals = panel.getByRole("list", { name: "Proposals in this chat" });
  await expect(proposals.getByRole("listitem").first()).toContainText("(303) 555-0199 — waiting for the customer");
  await proposals.getByRole("button", { name: /^Withdraw/ }).click();
  await expect(proposals.getByRole("listitem").first()).toContainText("withdrawn");

  // Proposed again and approved by the customer in their own session: the rep sees it approved.
  await panel.getByRole("button", { name: "Propose to customer" }).click();
  await expect(proposals.getByRole("listitem").first()).toContainText("waiting for the customer");
  const { rows } = await testDb().query<{ id: number }>(
    `select id from chat_proposals where conversation_id = $1 and status = 'pending'`,
    [conversationId],
  );
  const answered = await customerPage.request.post("/api/chat/proposals/answer", {
    headers: sameOrigin,
    data: { proposalId: rows[0].id, answer: "approve" },
  });
  expect(answered.status(), await answered.text()).toBe(200);
  await expect(proposals.getByRole("listitem").first()).toContainText("approved");
  const phone = await testDb().query<{ phone: string }>(`select phone from users where id = $1`, [customer.id]);
  expect(phone.rows[0].phone).toBe("+13035550199");

  await rep.getByRole("button", { name: "End chat", exact: true }).click();
  await rep.getByRole("button", { name: "End chat now" }).click();
  await expect(rep.getByText(/This chat has ended/)).toBeVisible();
  await Promise.all([rep.context().close(), customerContext.close()]);
});
