import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, emailChangeRequests, mailOutbox, users } from "@/db/schema";
import { inWords } from "@/lib/actions/result";
import { confirmEmailChange } from "@/lib/profile/email-change";
import { createUser, randomName } from "@/lib/test/factories";
import { verifyPassword } from "./password-hash";
import { registerCustomer } from "./register";
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

async function row(id: string) {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

describe("registration", () => {
  it("register: account number + service ZIP link the customer record to a new login; the e-mail address stays pending", async () => {
    const record = await createUser({ registered: false, zip: "80211" });
    const input = registerSchema.parse(form({ accountNumber: record.accountNumber, serviceZip: "80211-1234" }));
    const result = await registerCustomer(input, { ip: "203.0.113.1" });
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

  it("register: a taken username or e-mail (any case) is refused with field errors", async () => {
    const existing = await createUser();
    const record = await createUser({ registered: false });
    const result = await registerCustomer(
      registerSchema.parse(
        form({
          accountNumber: record.accountNumber,
          username: existing.username.toUpperCase(),
          email: existing.email.toUpperCase(),
        }),
      ),
      { ip: "" },
    );
    expect(inWords(result)).toMatchObject({
      ok: false,
      fieldErrors: {
        username: ["That username is taken"],
        email: ["That e-mail address is already used by another account"],
      },
    });
    expect((await row(record.id)).username).toBeNull();
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
