import { randomBytes, randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, contactRequests, mailOutbox } from "@/db/schema";
import { runSecureAction } from "@/lib/actions/door";
import type { RequestContext } from "@/lib/http/request-context";
import { messages } from "@/lib/messages";
import { createUser } from "@/lib/test/factories";
import { contactDefaultsFor, contactSenderId } from "./prefill";
import { listOpenContactRequests, markContactRequestHandled } from "./queries";
import { contactRequestSchema, CONTACT_MESSAGE_MAX } from "./schema";
import { CONTACT_LIMIT_PER_HOUR, submitContactRequest } from "./submit";

/** An address of its own per test, so one test's hits never count against another's limit. */
function randomIp() {
  return `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

function randomEmail() {
  return `contact_${randomBytes(5).toString("hex")}@example.test`;
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

function validFields(email = randomEmail()) {
  return { name: "Dana Visitor", email, accountNumber: "", topic: "Billing", message: "Why did my bill go up?" };
}

/** The Contact Us action as app/contact/actions.ts wires it, with this test's request facts. */
function submitVia(ip: string, proto: "https" | "http" = "https", userId: string | null = null) {
  const request: RequestContext = { proto, clientIp: ip, userAgent: "test" };
  return (input: FormData) =>
    runSecureAction(
      { schema: contactRequestSchema, capability: "public", httpsOnly: true },
      (parsed, ctx) => submitContactRequest(parsed, { userId, ip: ctx.request.clientIp }),
      input,
      { request: async () => request, session: async () => null },
    );
}

async function requestsFrom(email: string) {
  return db
    .select({
      id: contactRequests.id,
      userId: contactRequests.userId,
      name: contactRequests.name,
      accountNumber: contactRequests.accountNumber,
      topic: contactRequests.topic,
      message: contactRequests.message,
      status: contactRequests.status,
      ip: contactRequests.ip,
    })
    .from(contactRequests)
    .where(eq(contactRequests.email, email));
}

async function mailTo(email: string) {
  return db
    .select({ subject: mailOutbox.subject, text: mailOutbox.textBody, mailClass: mailOutbox.mailClass })
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, email));
}

describe("contact us", () => {
  it("contact: a visitor's message is stored open and its acknowledgement mail is queued", async () => {
    const ip = randomIp();
    const email = randomEmail();
    const result = await submitVia(ip)(
      form({ ...validFields(email), name: "  Dana <b>Visitor</b> ", message: "Line one\r\nLine two" }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    const rows = await requestsFrom(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: null,
      name: "Dana <b>Visitor</b>",
      topic: "Billing",
      message: "Line one\nLine two",
      status: "open",
      ip,
    });
    expect(result.data).toEqual({ requestNumber: `#${rows[0].id}`, email });
    expect(result.message).toContain(`#${rows[0].id}`);
    expect(result.message).toContain("within one business day");

    const mail = await mailTo(email);
    expect(mail).toHaveLength(1);
    expect(mail[0].mailClass).toBe("transactional");
    expect(mail[0].subject).toBe(`We received your message (request #${rows[0].id})`);
    expect(mail[0].text).toContain('about "Billing"');
    // The mail goes to an unconfirmed address: it never repeats what the sender typed.
    expect(mail[0].text).not.toContain("Dana");
    expect(mail[0].text).not.toContain("Line one");
  });

  it("contact: a signed-in customer's message is linked to their account from the session", async () => {
    const customer = await createUser();
    const session = { userId: customer.id, role: "customer" as const };
    expect(await contactDefaultsFor(session)).toEqual({
      name: "Test Person",
      email: customer.email,
      accountNumber: customer.accountNumber,
    });
    expect(await contactDefaultsFor({ userId: customer.id, role: "rep" })).toEqual({
      name: "",
      email: "",
      accountNumber: "",
    });
    expect(await contactDefaultsFor(null)).toEqual({ name: "", email: "", accountNumber: "" });

    const email = randomEmail();
    const result = await submitVia(
      randomIp(),
      "https",
      contactSenderId(session),
    )(form({ ...validFields(email), accountNumber: customer.accountNumber }));
    expect(result.ok).toBe(true);
    const [row] = await requestsFrom(email);
    expect(row).toMatchObject({ userId: customer.id, accountNumber: customer.accountNumber });
  });

  it("contact: bad input is refused field by field and nothing is stored, mailed or counted", async () => {
    const ip = randomIp();
    const submit = submitVia(ip);
    const email = randomEmail();
    const cases: [Record<string, string>, string, string][] = [
      [{ name: "   " }, "name", "Enter your name"],
      [{ name: "x".repeat(101) }, "name", "Use at most 100 characters"],
      [{ email: "not-an-address" }, "email", "Enter a valid e-mail address, such as name@example.com"],
      [
        { accountNumber: "12345" },
        "accountNumber",
        "Enter the 10-digit account number from your bill, or leave it empty",
      ],
      [{ topic: "Free phones" }, "topic", "Choose a topic"],
      [{ topic: "" }, "topic", "Choose a topic"],
      [{ message: " \n " }, "message", "Enter your message"],
      [{ message: "x".repeat(CONTACT_MESSAGE_MAX + 1) }, "message", "Use at most 2,000 characters"],
    ];
    for (const [change, field, words] of cases) {
      const result = await submit(form({ ...validFields(email), ...change }));
      expect(result.ok, field).toBe(false);
      if (result.ok) continue;
      expect(result.formError).toBe(messages.invalidInput);
      expect(result.fieldErrors?.[field]).toEqual([words]);
    }
    // Exactly 2,000 characters, with line breaks sent as \r\n, is allowed.
    const atLimit = `${"x".repeat(CONTACT_MESSAGE_MAX - 2)}\r\ny`;
    expect(contactRequestSchema.safeParse({ ...validFields(), message: atLimit }).success).toBe(true);

    expect(await requestsFrom(email)).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);
    // Refused input did not use up the address's share: all five still go through.
    for (let i = 0; i < CONTACT_LIMIT_PER_HOUR; i++) expect((await submit(form(validFields(email)))).ok).toBe(true);
  });

  it("contact: plain HTTP is refused and nothing is stored", async () => {
    const email = randomEmail();
    const result = await submitVia(randomIp(), "http")(form(validFields(email)));
    expect(result).toMatchObject({ ok: false, formError: messages.httpsRequired });
    expect(await requestsFrom(email)).toHaveLength(0);
  });

  it("contact: the sixth message from one address within an hour is refused with the wait, nothing stored", async () => {
    const ip = randomIp();
    const submit = submitVia(ip);
    for (let i = 0; i < CONTACT_LIMIT_PER_HOUR; i++) expect((await submit(form(validFields()))).ok).toBe(true);

    const email = randomEmail();
    const refused = await submit(form(validFields(email)));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.code).toBe("contactLimit");
    expect(refused.formError).toMatch(/^We've received several messages from your connection in the last hour\./);
    expect(refused.formError).toMatch(/try again in \d+ minutes?|try again in \d+ seconds?/);
    expect(await requestsFrom(email)).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);

    // Another address is not affected.
    expect((await submitVia(randomIp())(form(validFields()))).ok).toBe(true);
  });

  it("contact: a rep lists open requests, marks one handled (audited), and a second mark is refused", async () => {
    const rep = await createUser({ role: "rep" });
    const otherRep = await createUser({ role: "rep" });
    const email = randomEmail();
    const sent = await submitContactRequest(
      {
        name: "Dana Visitor",
        email,
        accountNumber: "",
        topic: "Privacy question",
        message: `${"word ".repeat(60)}end`,
      },
      { userId: null, ip: randomIp() },
    );
    expect(sent.ok).toBe(true);
    const [{ id }] = await requestsFrom(email);

    const open = await listOpenContactRequests(200);
    const listed = open.find((r) => r.id === id);
    expect(listed).toMatchObject({
      requestNumber: `#${id}`,
      name: "Dana Visitor",
      topic: "Privacy question",
      signedIn: false,
      status: "open",
      handledAt: null,
    });
    expect(listed?.emailMasked).toMatch(/^c•••.@example\.test$/);
    expect(listed?.excerpt.length).toBeLessThanOrEqual(141);
    expect(listed?.excerpt.endsWith("…")).toBe(true);

    const marked = await markContactRequestHandled({ userId: rep.id, ip: "203.0.113.7" }, id);
    expect(marked).toMatchObject({ ok: true, data: { id, requestNumber: `#${id}` } });
    expect((await listOpenContactRequests(200)).some((r) => r.id === id)).toBe(false);

    const [row] = await db
      .select({ status: contactRequests.status, handledBy: contactRequests.handledBy })
      .from(contactRequests)
      .where(eq(contactRequests.id, id));
    expect(row).toEqual({ status: "handled", handledBy: rep.id });
    const audits = await db
      .select({ actorId: auditEvents.actorId, detail: auditEvents.detail, ip: auditEvents.ip })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "contact.handled"), eq(auditEvents.actorId, rep.id)));
    expect(audits).toEqual([{ actorId: rep.id, detail: { requestId: id }, ip: "203.0.113.7" }]);

    // A second click, or a second rep, changes nothing.
    expect(await markContactRequestHandled({ userId: otherRep.id, ip: "" }, id)).toMatchObject({
      ok: false,
      error: "contactRequestAlreadyHandled",
    });
    const [after] = await db
      .select({ handledBy: contactRequests.handledBy })
      .from(contactRequests)
      .where(eq(contactRequests.id, id));
    expect(after.handledBy).toBe(rep.id);
    expect(await markContactRequestHandled({ userId: rep.id, ip: "" }, 9_000_000_000)).toMatchObject({
      ok: false,
      error: "contactRequestNotFound",
    });
  });

  it("contact: two reps marking the same request at once: exactly one succeeds", async () => {
    const reps = await Promise.all([createUser({ role: "rep" }), createUser({ role: "rep" })]);
    const email = randomEmail();
    await submitContactRequest({ ...validFields(email), topic: "Billing" }, { userId: null, ip: randomIp() });
    const [{ id }] = await requestsFrom(email);
    const results = await Promise.all(reps.map((r) => markContactRequestHandled({ userId: r.id, ip: "" }, id)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toMatchObject([{ error: "contactRequestAlreadyHandled" }]);
  });
});
