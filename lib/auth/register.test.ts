import { randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, emailChangeRequests, mailOutbox, users } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { env } from "@/lib/env";
import type { Later } from "@/lib/mail/later";
import { confirmEmailChange } from "@/lib/profile/email-change";
import { createUser, randomAccountNumber, randomName } from "@/lib/test/factories";
import { verifyPassword } from "./password-hash";
import { registerCustomer as register } from "./register";
import { registerSchema } from "./schema";
import { hashToken } from "./single-use-token";

function form(over: Partial<Record<string, string>> = {}) {
  const username = randomName("new");
  return {
    accountNumber: "",
    serviceZip: "80202",
    username,
    email: `${username}@example.test`,
    password: "a long and unusual passphrase",
    confirmPassword: "a long and unusual passphrase",
    over13: "on",
    ...over,
  };
}

/** A client address of its own per call: the limits are per address and shared by the database. */
const randomIp = () => `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** The work registration leaves for after its answer, run when the test says. */
function afterwards() {
  const tasks: (() => Promise<void>)[] = [];
  const later: Later = (task) => void tasks.push(task);
  return { later, run: async () => Promise.all(tasks.splice(0).map((t) => t())), pending: () => tasks.length };
}

/** Registers and runs what comes after the answer at once, as the app's `after()` does. */
async function registerCustomer(input: Parameters<typeof register>[0], meta: { ip: string }) {
  const { later, run } = afterwards();
  const result = await register(input, { ip: meta.ip || randomIp() }, later);
  await run();
  return result;
}

async function row(id: string) {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

describe("registration", () => {
  it("register: account number + service ZIP link the customer record to a new login; the e-mail address stays pending", async () => {
    const record = await createUser({ registered: false, zip: "80211" });
    const input = registerSchema.parse(form({ accountNumber: record.accountNumber, serviceZip: "80211-1234" }));
    const result = await registerCustomer(input, { ip: randomIp() });
    expect(result).toMatchObject({ ok: true, data: { username: input.username } });
    const u = await row(record.id);
    expect(u.username).toBe(input.username);
    // Pending, exactly like an e-mail change: a request and its link, no address on the account yet.
    expect(u.email).toBeNull();
    expect(await verifyPassword(u.passwordHash, input.password)).toBe(true);
    const requests = await db.select().from(emailChangeRequests).where(eq(emailChangeRequests.userId, record.id));
    expect(requests).toMatchObject([{ newEmail: input.email, usedAt: null, cancelledAt: null }]);
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, input.email));
    expect(mails.map((m) => m.subject)).toEqual(["Welcome to MyAccount — please confirm your e-mail address"]);
    const token = mails[0].textBody.match(/verify-email\?token=([\w-]+)/)?.[1];
    expect(requests[0].tokenHash).toBe(hashToken(token!));

    // Following the link makes it the account's address.
    expect(await confirmEmailChange(token!, { ip: "" })).toMatchObject({ ok: true, data: { email: input.email } });
    expect((await row(record.id)).email).toBe(input.email);
    expect(await confirmEmailChange(token!, { ip: "" })).toMatchObject({ ok: false });
  });

  it("register: a wrong ZIP code does not link the record", async () => {
    const record = await createUser({ registered: false, zip: "80211" });
    const result = await registerCustomer(
      registerSchema.parse(form({ accountNumber: record.accountNumber, serviceZip: "10001" })),
      { ip: "" },
    );
    expect(inWords(result)).toMatchObject({ ok: false, formError: expect.stringContaining("couldn't match") });
    expect((await row(record.id)).username).toBeNull();
  });

  it("register: an account that already has a login is refused", async () => {
    const existing = await createUser();
    const result = await registerCustomer(registerSchema.parse(form({ accountNumber: existing.accountNumber })), {
      ip: "",
    });
    expect(inWords(result)).toMatchObject({
      ok: false,
      formError: expect.stringContaining("already has an online login"),
    });
  });

  it("register: a taken username (any case) is said, but only after a valid account number + ZIP", async () => {
    const existing = await createUser();
    const record = await createUser({ registered: false, zip: "80211" });
    const taken = { username: existing.username.toUpperCase() };
    const wrongZip = await registerCustomer(
      registerSchema.parse(form({ ...taken, accountNumber: record.accountNumber, serviceZip: "10001" })),
      { ip: "" },
    );
    expect(inWords(wrongZip)).toMatchObject({ ok: false, formError: expect.stringContaining("couldn't match") });
    expect(inWords(wrongZip)).not.toHaveProperty("fieldErrors.username");
    const result = await registerCustomer(
      registerSchema.parse(form({ ...taken, accountNumber: record.accountNumber, serviceZip: "80211" })),
      { ip: "" },
    );
    expect(inWords(result)).toMatchObject({ ok: false, fieldErrors: { username: ["That username is taken"] } });
    expect((await row(record.id)).username).toBeNull();
  });

  it("register: an e-mail address of another account (any case) gets the same answer as a free one, and a mail, not a link", async () => {
    const existing = await createUser();
    const free = await createUser({ registered: false });
    const holder = await createUser({ registered: false });
    const ip = randomIp();
    const { later, run, pending } = afterwards();
    const answers = [
      await register(registerSchema.parse(form({ accountNumber: free.accountNumber })), { ip }, later),
      await register(
        registerSchema.parse(form({ accountNumber: holder.accountNumber, email: existing.email.toUpperCase() })),
        { ip },
        later,
      ),
    ];
    // The same answer either way, and the address is not even looked at before answering.
    expect(answers.map((a) => inWords(a).ok)).toEqual([true, true]);
    expect(answers.map((a) => Object.keys(a.ok ? a.data : {}))).toEqual([["username"], ["username"]]);
    expect(pending()).toBe(2);
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, existing.email.toUpperCase()))).toEqual(
      [],
    );
    await run();

    // Registered, without an address; no request waits for one.
    const u = await row(holder.id);
    expect(u.username).not.toBeNull();
    expect(u.email).toBeNull();
    expect(await db.select().from(emailChangeRequests).where(eq(emailChangeRequests.userId, holder.id))).toEqual([]);
    expect((await row(existing.id)).email).toBe(existing.email);
    // The address's owner hears of it: sign in or reset if it was them; no confirmation link.
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, existing.email.toUpperCase()));
    expect(mails.map((m) => m.subject)).toEqual(["Someone tried to register with your e-mail address"]);
    expect(mails[0].textBody).toContain("/forgot-password");
    expect(mails[0].textBody).not.toMatch(/verify-email|token=/);
  });

  it("register: rotating client addresses does not give unlimited guesses at one account number's ZIP", async () => {
    const record = await createUser({ registered: false, zip: "80211" });
    const guesses = [];
    for (let i = 0; i < 12; i++) {
      guesses.push(
        await registerCustomer(
          registerSchema.parse(form({ accountNumber: record.accountNumber, serviceZip: String(10000 + i) })),
          { ip: randomIp() },
        ),
      );
    }
    expect(guesses.slice(0, 10).every((g) => !g.ok && g.error === "registerNoMatch")).toBe(true);
    expect(guesses[10]).toMatchObject({ ok: false, error: { code: "tooManyAttempts", of: "registration" } });
    // Even the right ZIP waits now, from yet another address.
    const right = await registerCustomer(
      registerSchema.parse(form({ accountNumber: record.accountNumber, serviceZip: "80211" })),
      { ip: randomIp() },
    );
    expect(right).toMatchObject({ ok: false, error: { code: "tooManyAttempts" } });
    expect((await row(record.id)).username).toBeNull();
    // Another account number is not held back by the first.
    const other = await registerCustomer(
      registerSchema.parse(form({ accountNumber: randomAccountNumber(), serviceZip: "80211" })),
      { ip: randomIp() },
    );
    expect(other).toMatchObject({ ok: false, error: "registerNoMatch" });
  });

  it("register: past the mail limits the registration stands, silently without its mail", async () => {
    const address = `${randomName("shared")}@example.test`;
    const max = env().MAIL_LIMIT_PER_RECIPIENT_PER_HOUR;
    const results = [];
    for (let i = 0; i < max + 1; i++) {
      const record = await createUser({ registered: false });
      results.push(
        await registerCustomer(registerSchema.parse(form({ accountNumber: record.accountNumber, email: address })), {
          ip: randomIp(),
        }),
      );
    }
    expect(results.map((r) => r.ok)).toEqual(Array(max + 1).fill(true));
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address))).toHaveLength(max);
  });

  it("register: a common password is refused", async () => {
    const record = await createUser({ registered: false });
    const result = await registerCustomer(
      registerSchema.parse(
        form({ accountNumber: record.accountNumber, password: "password123", confirmPassword: "password123" }),
      ),
      { ip: "" },
    );
    expect(inWords(result)).toMatchObject({
      ok: false,
      fieldErrors: { password: [expect.stringContaining("too common")] },
    });
    expect((await row(record.id)).username).toBeNull();
  });

  it("register: someone who is not 13 or older is refused by the schema, before anything is stored", async () => {
    const record = await createUser({ registered: false });
    const parsed = registerSchema.safeParse({ ...form({ accountNumber: record.accountNumber }), over13: undefined });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.find((i) => i.path[0] === "over13")?.message).toBe(
      "You must be 13 or older to create an online account.",
    );
    expect((await row(record.id)).username).toBeNull();
    expect(await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, record.id))).toEqual([]);
  });

  it.each([
    ["accountNumber", "12ab", "Enter the 6–12 digit account number shown on your bill"],
    ["serviceZip", "8020", "Enter the 5-digit ZIP code (or ZIP+4) of your service address"],
    ["username", "1234567", "A username cannot be only digits (those are account numbers)"],
    ["username", "a".repeat(33), "Use at most 32 characters"],
    ["email", "not-an-email", "Enter a valid e-mail address"],
    ["password", "short", "Use at least 8 characters (15 or more is best)"],
    ["password", "x".repeat(129), "Use at most 128 characters"],
  ])("register: %s = %j gets %j", (field, value, message) => {
    const parsed = registerSchema.safeParse(
      form({ [field]: value, ...(field === "password" ? { confirmPassword: value } : {}) }),
    );
    expect(parsed.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });
});
