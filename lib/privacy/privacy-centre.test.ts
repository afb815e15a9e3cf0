import { randomBytes, randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  authenticatorApps,
  passkeys,
  recoveryCodes,
  addresses,
  areaOffers,
  auditEvents,
  chatConversations,
  chatMessages,
  contactRequests,
  emailChangeRequests,
  mailOutbox,
  paymentMethods,
  sessions,
  staffAccessGrants,
  subscriptions,
  users,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { findActiveSession } from "@/lib/auth/sessions";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { EXPORT_COLUMNS } from "@/lib/marketing/export";
import { queueMail } from "@/lib/mail/outbox";
import { recordConsent } from "@/lib/preferences/consent";
import { maskEmail } from "@/lib/profile/email-change";
import { createUser, TEST_TOTP_SECRET } from "@/lib/test/factories";
import { sealTotpSecret } from "@/lib/two-step/secret";
import { getAreaOffers, setAreaOffers } from "./area-offers";
import { closeAccount } from "./close-account";
import { buildDataExport, exportMyData } from "./export";
import { marketingRowsFor } from "./marketing-view";

const randomIp = () => `10.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;

/**
 * A customer with personal values in every place the app keeps them: profile, addresses, payment
 * method, an e-mail change, a sign-in (session and audit row with address and browser), a consent
 * and a privacy choice (ledger rows with address and browser), audit details naming them, a chat,
 * a Contact Us message, a rep's stated reason and queued mail. Every value is unique to this run.
 */
async function richCustomer() {
  const base = await createUser({ zip: "80203" });
  const tag = randomBytes(4).toString("hex");
  const p = {
    ...base,
    firstName: `Zora${tag}`,
    lastName: `Quill${tag}`,
    phone: `+1303${randomInt(2_000_000, 9_999_999)}`,
    line1: `${randomInt(100, 999)} Larkspur${tag} Ave`,
    line2: `Apt ${tag}`,
    city: `Brightvale${tag}`,
    newEmail: `new-${tag}@example.test`,
    ip: randomIp(),
    ip2: randomIp(),
    ua: `Mozilla/5.0 (X11; Linux x86_64) PrivacyTest/${tag}`,
    ua2: `Mozilla/5.0 (Macintosh) OtherBrowser/${tag}`,
  };
  await db
    .update(users)
    .set({ firstName: p.firstName, lastName: p.lastName, phone: p.phone })
    .where(eq(users.id, p.id));
  await db.update(addresses).set({ line1: p.line1, line2: p.line2, city: p.city }).where(eq(addresses.userId, p.id));
  await db.insert(addresses).values({
    userId: p.id,
    kind: "billing",
    line1: `PO Box ${tag}`,
    city: p.city,
    state: "CO",
    zip: "80203",
  });
  await db.insert(paymentMethods).values({
    userId: p.id,
    kind: "card",
    label: "Visa",
    last4: "4242",
    expMonth: 12,
    expYear: 2030,
    holderName: `${p.firstName} ${p.lastName}`,
    encryptedNumber: encryptSecret("4111111111114242", p.id),
  });
  await db.insert(emailChangeRequests).values({
    userId: p.id,
    newEmail: p.newEmail,
    tokenHash: randomBytes(32).toString("hex"),
    expiresAt: new Date(Date.now() + 3600_000),
  });
  const signIn = await verifyCredentials({ identifier: p.username, password: p.password, ip: p.ip, userAgent: p.ua });
  if (!signIn.ok) throw new Error("sign-in failed");
  await db.transaction((tx) =>
    recordConsent(tx, {
      userId: p.id,
      topicId: "offers",
      action: "granted",
      source: "account",
      actorId: p.id,
      ip: p.ip2,
      userAgent: p.ua2,
    }),
  );
  await setAreaOffers({ userId: p.id, ip: p.ip2, userAgent: p.ua2 }, true);
  // Two-step, switched on after that sign-in: a passkey named after them, an app, one recovery code.
  await db.insert(passkeys).values({
    userId: p.id,
    credentialId: `cred-${tag}`,
    publicKey: `public-key-${tag}`,
    name: `${p.firstName}'s phone`,
    backedUp: true,
  });
  await db
    .insert(authenticatorApps)
    .values({ userId: p.id, secretBox: sealTotpSecret(p.id, TEST_TOTP_SECRET), confirmedAt: new Date() });
  await db.insert(recoveryCodes).values({ userId: p.id, codeHash: `code-hash-${tag}` });
  await recordAudit(db, {
    actorId: p.id,
    subjectUserId: p.id,
    action: "email.change_requested",
    detail: { newEmail: maskEmail(p.newEmail), section: "email" },
    ip: p.ip,
  });
  await recordAudit(db, {
    actorId: p.id,
    subjectUserId: p.id,
    action: "auth.registered",
    detail: { username: p.username, note: `from ${p.city}` },
    ip: p.ip2,
  });
  const [chat] = await db
    .insert(chatConversations)
    .values({ customerId: p.id, topic: `Bill for ${p.line1}`, status: "active", ip: p.ip, lastSeq: 2 })
    .returning({ id: chatConversations.id });
  await db.insert(chatMessages).values([
    {
      conversationId: chat.id,
      seq: 1,
      author: "customer",
      authorId: p.id,
      body: `Hi, I'm ${p.firstName} at ${p.line1}`,
    },
    { conversationId: chat.id, seq: 2, author: "rep", body: `Thanks ${p.firstName}, I see ${p.phone}` },
  ]);
  await db.insert(contactRequests).values({
    userId: p.id,
    name: `${p.firstName} ${p.lastName}`,
    email: p.email,
    accountNumber: p.accountNumber,
    topic: "billing",
    message: `Please call me at ${p.phone}`,
    ip: p.ip2,
  });
  const rep = await createUser({ role: "rep" });
  await db.insert(staffAccessGrants).values({
    staffId: rep.id,
    customerId: p.id,
    reason: "call",
    reasonText: `${p.lastName} phoned about a bill`,
    expiresAt: new Date(Date.now() + 60_000),
  });
  await queueMail(db, {
    to: p.email,
    subject: "Offers",
    text: `Dear ${p.firstName}`,
    mailClass: "marketing",
    userId: p.id,
    topicId: "offers",
  });
  return { ...p, sessionId: signIn.sessionId, chatId: chat.id };
}

type Person = Awaited<ReturnType<typeof richCustomer>>;

const actorOf = (p: Person) => ({ userId: p.id, sessionId: p.sessionId, ip: p.ip, userAgent: p.ua });

/** The values that must not survive closing, as the test knows them. */
function personalValuesOf(p: Person) {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    newEmail: p.newEmail,
    phone: p.phone,
    line1: p.line1,
    line2: p.line2,
    city: p.city,
    username: p.username,
    ip: p.ip,
    ip2: p.ip2,
    ua: p.ua,
    ua2: p.ua2,
  };
}

/**
 * Every row of every table in the schema, as JSON text, searched for each value. Returns the
 * findings as "table: name" strings.
 */
async function scanAllTables(values: Record<string, string>, skip: { table: string; where: string }[] = []) {
  const { rows: tables } = await db.execute<{ table_name: string }>(sql`
    select distinct c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'jsonb', 'json', 'character varying', 'USER-DEFINED', 'ARRAY')
    order by 1`);
  expect(tables.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const { table_name } of tables) {
    const excluded = skip.filter((s) => s.table === table_name).map((s) => `and not (${s.where})`);
    const { rows } = await db.execute<{ j: string }>(
      sql.raw(`select lower(row_to_json(t)::text) as j from "${table_name}" t where true ${excluded.join(" ")}`),
    );
    for (const [name, value] of Object.entries(values)) {
      const needle = value.toLowerCase();
      if (rows.some((r) => r.j.includes(needle))) found.push(`${table_name}: ${name}`);
    }
  }
  return found;
}

describe("download my data", () => {
  it("holds this customer's profile, addresses, masked card, consent, activity, devices, chats and contact requests — and nobody else's", async () => {
    const a = await richCustomer();
    const b = await richCustomer();
    const data = await buildDataExport(a.id);
    expect(data).not.toBeNull();
    const text = JSON.stringify(data);
    expect(data!.profile.email).toBe(a.email);
    expect(data!.profile.username).toBe(a.username);
    expect(data!.addresses.map((x) => x.kind).sort()).toEqual(["billing", "service"]);
    expect(data!.paymentMethod).toMatchObject({ label: "Visa", last4: "4242", number: "Card ending in 4242" });
    expect(text).not.toContain("4111111111114242");
    expect(text).not.toMatch(/"(encryptedNumber|encrypted_number|passwordHash|password_hash|tokenHash|token_hash)"/);
    expect(data!.consentHistory.email).toEqual([
      expect.objectContaining({ action: "granted", ip: a.ip2, userAgent: a.ua2 }),
    ]);
    expect(data!.consentHistory.privacy).toEqual([
      expect.objectContaining({ choice: "area_offers", action: "granted" }),
    ]);
    expect(data!.preferences.privacy.area_offers).toBe(true);
    expect(data!.activity.map((x) => x.action)).toEqual(expect.arrayContaining(["auth.sign_in", "auth.registered"]));
    expect(data!.devices).toEqual([expect.objectContaining({ ip: a.ip, userAgent: a.ua })]);
    expect(data!.chats).toHaveLength(1);
    expect(data!.chats[0].messages.map((m) => m.body)).toEqual([
      expect.stringContaining(a.firstName),
      expect.any(String),
    ]);
    expect(data!.contactRequests).toEqual([
      expect.objectContaining({ email: a.email, message: expect.stringContaining(a.phone) }),
    ]);
    for (const v of Object.values(personalValuesOf(b))) expect(text).not.toContain(v);
    expect(text).not.toContain(b.id);
    // Two-step: names and dates, never the credential, its public key, the app's secret or code hashes.
    expect(data!.twoStepSignIn).toMatchObject({
      passkeys: [{ name: `${a.firstName}'s phone`, synced: true, lastUsedAt: null }],
      authenticatorApp: { addedAt: expect.any(Date) },
      recoveryCodes: { unused: 1 },
    });
    expect(text).not.toMatch(/cred-|public-key-|code-hash-|secretBox|v1\./);
    expect(data!.devices[0]).toMatchObject({ signedInWith: "password" });
  });

  it("is audited, is produced within seconds, and is refused to staff roles", async () => {
    const a = await richCustomer();
    const started = Date.now();
    const result = await exportMyData({ userId: a.id, role: "customer" }, { ip: a.ip });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.ok).toBe(true);
    if (result.ok) expect(JSON.parse(result.body).profile.email).toBe(a.email);
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, a.id), eq(auditEvents.action, "data.exported")));
    expect(audited).toHaveLength(1);
    for (const role of ["rep", "marketing", "admin"] as const) {
      const staff = await createUser({ role });
      expect(await exportMyData({ userId: staff.id, role }, { ip: "" })).toEqual({ ok: false, code: "forbidden" });
    }
  });
});

describe("products in your area and what marketing sees", () => {
  it("shows offers for the service ZIP only while turned on, recorded in the ledger", async () => {
    await db.insert(areaOffers).values({
      zipPrefix: "802",
      title: "Area test offer",
      description: "test",
      monthlyPriceCents: 100,
      sortOrder: 99,
    });
    const u = await createUser({ zip: "80203" });
    expect(await getAreaOffers(u.id)).toEqual({ enabled: false });
    await setAreaOffers({ userId: u.id, ip: "", userAgent: "" }, true);
    const on = await getAreaOffers(u.id);
    expect(on).toMatchObject({ enabled: true, zip: "80203" });
    if (on.enabled) expect(on.offers.map((o) => o.title)).toContain("Area test offer");
    await setAreaOffers({ userId: u.id, ip: "", userAgent: "" }, false);
    expect(await getAreaOffers(u.id)).toEqual({ enabled: false });
    const far = await createUser({ zip: "99950" });
    await setAreaOffers({ userId: far.id, ip: "", userAgent: "" }, true);
    expect(await getAreaOffers(far.id)).toEqual({ enabled: true, zip: "99950", offers: [] });
  });

  it("shows the export's own row for each opted-in topic, or none", async () => {
    const u = await createUser();
    expect(await marketingRowsFor(u.id)).toEqual([]);
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: u.id,
        topicId: "offers",
        action: "granted",
        source: "account",
        actorId: u.id,
        ip: "",
        userAgent: "",
      }),
    );
    const rows = await marketingRowsFor(u.id);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0].row)).toEqual([...EXPORT_COLUMNS]);
    expect(rows[0].row).toMatchObject({ email: u.email, first_name: "Test", topic: "offers", source: "account" });
    expect(rows[0].row.unsubscribe_url).toMatch(/\/u\/[A-Za-z0-9_-]+$/);
  });
});

describe("close my account", () => {
  it("a wrong password is refused, changes nothing, and is rate-limited like sign-in", async () => {
    const a = await richCustomer();
    const max = env().LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS;
    for (let i = 0; i < max; i++) {
      const r = await closeAccount(actorOf(a), { currentPassword: "wrong password" });
      expect(r).toMatchObject({ ok: false, fieldErrors: { currentPassword: ["currentPasswordWrong"] } });
    }
    const limited = await closeAccount(actorOf(a), { currentPassword: a.password });
    expect(limited).toMatchObject({ ok: false, error: { code: "tooManyAttempts", of: "passwordCheck" } });
    const [row] = await db.select().from(users).where(eq(users.id, a.id));
    expect(row).toMatchObject({ closedAt: null, username: a.username, email: a.email });
    expect(await findActiveSession(a.sessionId)).not.toBeNull();
  });

  it("is refused to staff", async () => {
    const rep = await createUser({ role: "rep" });
    const r = await closeAccount(
      { userId: rep.id, sessionId: "", ip: "", userAgent: "" },
      { currentPassword: rep.password },
    );
    expect(r).toMatchObject({ ok: false, error: "forbidden" });
  });

  it("ends sessions, stops marketing, leaves no personal value in any table, keeps the ledgers, and the username no longer signs in", async () => {
    const a = await richCustomer();
    const other = await richCustomer();
    const result = await closeAccount(actorOf(a), { currentPassword: a.password });
    expect(result).toMatchObject({ ok: true });

    // The confirmation went to the last address: the one row allowed to hold it until it is sent.
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, a.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      subject: "Your MyAccount is closed",
      mailClass: "transactional",
      status: "pending",
    });
    const found = await scanAllTables(personalValuesOf(a), [{ table: "mail_outbox", where: `t.id = ${mails[0].id}` }]);
    expect(found).toEqual([]);
    expect(mails[0].textBody.toLowerCase()).not.toContain(a.firstName.toLowerCase());

    // The other customer is untouched.
    const stillThere = await scanAllTables({ email: other.email, city: other.city, ip: other.ip, ua: other.ua });
    expect(stillThere.length).toBeGreaterThan(0);

    expect(await findActiveSession(a.sessionId)).toBeNull();
    const [u] = await db.select().from(users).where(eq(users.id, a.id));
    expect(u.closedAt).not.toBeNull();
    expect(u.accountNumber).toBe(a.accountNumber);
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, a.id));
    expect(sub.status).toBe("withdrawn");
    const marketing = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.userId, a.id), eq(mailOutbox.mailClass, "marketing")));
    expect(marketing.map((m) => m.status)).toEqual(["suppressed"]);
    const [{ n: consentRows }] = (
      await db.execute<{ n: number }>(sql`select count(*)::int as n from consent_events where user_id = ${a.id}`)
    ).rows;
    expect(consentRows).toBe(2);
    const trail = await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, a.id));
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining(["auth.sign_in", "auth.registered", "account.closed"]),
    );
    expect(trail.find((r) => r.action === "auth.registered")!.detail).toEqual({ username: "", note: "" });
    expect(trail.find((r) => r.action === "email.change_requested")!.detail).toEqual({
      newEmail: "",
      section: "email",
    });
    const [chatLeft] = await db.select().from(chatConversations).where(eq(chatConversations.id, a.chatId));
    // The open chat ended with the account; what was said is gone, the desk's record of it stays.
    expect(chatLeft).toMatchObject({ status: "closed", closedBy: "customer", closeReason: "account closed" });
    const said = await db.select().from(chatMessages).where(eq(chatMessages.conversationId, a.chatId));
    expect(said.map((m) => m.kind)).toEqual(["message", "message", "closed"]);
    expect(said.slice(0, 2).map((m) => m.body)).toEqual(["", ""]);
    expect(await db.select().from(sessions).where(eq(sessions.userId, a.id))).toHaveLength(1);
    // Nothing left to sign in with: passkeys, the app's secret and recovery codes are deleted.
    for (const table of [passkeys, authenticatorApps, recoveryCodes]) {
      expect(await db.select().from(table).where(eq(table.userId, a.id))).toHaveLength(0);
    }
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, other.id))).toHaveLength(1);

    for (const identifier of [a.username, a.accountNumber, a.email]) {
      expect(await verifyCredentials({ identifier, password: a.password, ip: "", userAgent: "" })).toMatchObject({
        ok: false,
      });
    }
    // Closing again (e.g. a second tab) is refused: the account is gone.
    expect(await closeAccount(actorOf(a), { currentPassword: a.password })).toMatchObject({ ok: false });
  });
});
