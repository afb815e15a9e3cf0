import "server-only";
import { and, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import {
  addresses,
  auditEvents,
  chatConversations,
  chatMessages,
  chatProposals,
  consentEvents,
  contactRequests,
  emailChangeRequests,
  loginThrottle,
  mailOutbox,
  passwordResets,
  paymentMethods,
  privacyChoiceEvents,
  privacyChoices,
  rateCounters,
  sessions,
  staffAccessGrants,
  subscriptions,
  users,
} from "@/db/schema";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { recordAudit } from "@/lib/audit/record";
import { checkCurrentPassword } from "@/lib/auth/current-password";
import { closeConversation } from "@/lib/chat/conversations";
import { revokeOtherSessions } from "@/lib/auth/sessions";
import { removeAllFactors } from "@/lib/two-step/factors";
import { appUrl, env } from "@/lib/env";
import { recipientKey } from "@/lib/mail/limits";
import { queueMail } from "@/lib/mail/outbox";
import { recordConsent } from "@/lib/preferences/consent";
import { recordPrivacyChoice } from "./choices";

/** The signed-in customer closing their own account, on the session in use, from where. */
export type CloseActor = { userId: string; sessionId: string; ip: string; userAgent: string };

export function accountClosedMail() {
  return {
    subject: "Your MyAccount is closed",
    // No name, username or address in it: this row outlives the anonymisation until it is sent.
    text: `Your MyAccount was closed at your request. You have been signed out everywhere, and you will get no more marketing e-mail from us.

We removed your name, username, e-mail address, phone number, addresses and payment method from MyAccount. We keep the record of the choices you made and of what happened to your account, without your personal details, as evidence of what you agreed to.

Your service and your bills are not affected. If you did not close your account, contact us right away:
${appUrl()}/contact`,
  };
}

// Keys of an audit row's `detail` that name a person or where they were, blanked whatever they hold.
const PERSONAL_DETAIL_KEYS = new Set([
  "username",
  "email",
  "newEmail",
  "name",
  "firstName",
  "lastName",
  "phone",
  "address",
  "ip",
  "userAgent",
  "visitorName",
  "visitorEmail",
]);

/** Whether a value (any JSON) contains one of the person's values, ignoring case. */
function mentions(value: unknown, needles: string[]): boolean {
  const text = (typeof value === "string" ? value : JSON.stringify(value ?? "")).toLowerCase();
  return needles.some((n) => text.includes(n));
}

/**
 * Everything personal the database holds about the customer, lower-cased, to find it again inside
 * free text and audit details. Short values ("CO", a one-letter name) are left out: they would
 * blank unrelated text and identify nobody.
 */
async function personalValues(tx: Tx, userId: string) {
  const [user] = await tx
    .select({
      firstName: users.firstName,
      lastName: users.lastName,
      username: users.username,
      email: users.email,
      phone: users.phone,
    })
    .from(users)
    .where(eq(users.id, userId));
  const addressRows = await tx
    .select({ line1: addresses.line1, line2: addresses.line2, city: addresses.city, zip: addresses.zip })
    .from(addresses)
    .where(eq(addresses.userId, userId));
  const newEmails = await tx
    .select({ v: emailChangeRequests.newEmail })
    .from(emailChangeRequests)
    .where(eq(emailChangeRequests.userId, userId));
  const sessionRows = await tx
    .select({ ip: sessions.ip, ua: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  const consentRows = await tx
    .select({ ip: consentEvents.ip, ua: consentEvents.userAgent })
    .from(consentEvents)
    .where(eq(consentEvents.userId, userId));
  const choiceRows = await tx
    .select({ ip: privacyChoiceEvents.ip, ua: privacyChoiceEvents.userAgent })
    .from(privacyChoiceEvents)
    .where(eq(privacyChoiceEvents.userId, userId));
  const auditIps = await tx
    .select({ ip: auditEvents.ip })
    .from(auditEvents)
    .where(eq(auditEvents.subjectUserId, userId));
  const chats = await tx
    .select({ name: chatConversations.visitorName, email: chatConversations.visitorEmail, ip: chatConversations.ip })
    .from(chatConversations)
    .where(eq(chatConversations.customerId, userId));
  const contacts = await tx
    .select({ name: contactRequests.name, email: contactRequests.email, ip: contactRequests.ip })
    .from(contactRequests)
    .where(eq(contactRequests.userId, userId));

  const emails = [
    user?.email,
    ...newEmails.map((r) => r.v),
    ...chats.map((c) => c.email),
    ...contacts.map((c) => c.email),
  ]
    .filter((e): e is string => Boolean(e))
    .map((e) => e.toLowerCase());
  const fullName = `${user?.firstName ?? ""} ${user?.lastName ?? ""}`.trim();
  const phoneDigits = user?.phone?.replace(/\D/g, "") ?? "";
  const values = [
    user?.firstName,
    user?.lastName,
    fullName,
    user?.username,
    user?.phone,
    // Free text may hold the national number without +1, e.g. "3035550123".
    phoneDigits.length === 11 ? phoneDigits.slice(1) : phoneDigits,
    ...emails,
    ...addressRows.flatMap((a) => [a.line1, a.line2, a.city, a.zip]),
    ...sessionRows.flatMap((s) => [s.ip, s.ua]),
    ...consentRows.flatMap((s) => [s.ip, s.ua]),
    ...choiceRows.flatMap((s) => [s.ip, s.ua]),
    ...auditIps.map((a) => a.ip),
    ...chats.flatMap((c) => [c.name, c.ip]),
    ...contacts.flatMap((c) => [c.name, c.ip]),
  ];
  const needles = [...new Set(values.filter((v): v is string => Boolean(v && v.trim().length >= 3)))].map((v) =>
    v.trim().toLowerCase(),
  );
  const ips = [
    ...sessionRows.map((s) => s.ip),
    ...consentRows.map((s) => s.ip),
    ...choiceRows.map((s) => s.ip),
    ...auditIps.map((a) => a.ip),
    ...chats.map((c) => c.ip),
    ...contacts.map((c) => c.ip),
  ].filter(Boolean);
  return { email: user?.email ?? null, emails: [...new Set(emails)], needles, ips: [...new Set(ips)] };
}

/**
 * Closes the signed-in customer's account, after their password, in one transaction: sessions end
 * at once, every marketing consent and privacy choice is withdrawn through the ledgers' doors,
 * unsent marketing mail is suppressed, a confirmation is queued to the last address, and then every
 * personal value is removed — the profile blanked (the account number stays: it is the billing
 * system's key, and it keeps the evidence below attributable; without a password, username or
 * address it can neither sign in nor be registered again), addresses, payment method, e-mail
 * changes and reset links deleted, chats and Contact Us messages emptied, and the consent ledger
 * and audit trail kept, keyed by the user id, with their personal columns blanked through the one
 * update migration 0007 permits.
 */
export async function closeAccount(actor: CloseActor, input: { currentPassword: string }): Promise<Outcome> {
  const [who] = await db
    .select({ role: users.role, closedAt: users.closedAt })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!who || who.closedAt) return fail("signedOut");
  if (who.role !== "customer") return fail("forbidden");
  // Rate-limited per user like every current-password check: a stolen session cannot guess it.
  const refused = await checkCurrentPassword(actor.userId, input.currentPassword);
  if (refused) return refused;

  await db.transaction(async (tx) => {
    const userId = actor.userId;
    // Lock the person first: a profile save or consent change at the same moment waits, then sees
    // a closed account.
    const [locked] = await tx
      .select({ closedAt: users.closedAt })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!locked || locked.closedAt) return;
    const { email, emails, needles, ips } = await personalValues(tx, userId);

    // Sessions end at once (every device, this one too).
    const sessionsEnded = await revokeOtherSessions(tx, userId, null, "account closed");

    // Marketing stops at once: each opt-in withdrawn through the consent door, so the ledger says
    // so, and queued marketing mail is suppressed; the privacy choices are withdrawn the same way.
    const granted = await tx
      .select({ topicId: subscriptions.topicId })
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, "granted")));
    for (const { topicId } of granted) {
      await recordConsent(tx, {
        userId,
        topicId,
        action: "withdrawn",
        source: "account",
        actorId: userId,
        ip: "",
        userAgent: "",
      });
    }
    const choices = await tx
      .select({ choice: privacyChoices.choice })
      .from(privacyChoices)
      .where(and(eq(privacyChoices.userId, userId), eq(privacyChoices.granted, true)));
    for (const { choice } of choices) {
      await recordPrivacyChoice(tx, {
        userId,
        choice,
        granted: false,
        source: "privacy-centre",
        ip: "",
        userAgent: "",
      });
    }
    // Earlier mail to the person: unsent mail is suppressed, and every copy loses its address and
    // body (the delivery record stays, with its subject and dates).
    const mailOfPerson = or(
      eq(mailOutbox.userId, userId),
      emails.length ? inArray(sql`lower(${mailOutbox.toAddress})`, emails) : undefined,
    );
    await tx
      .update(mailOutbox)
      .set({
        status: sql`case when ${mailOutbox.status} in ('pending', 'sending') then 'suppressed'::mail_status else ${mailOutbox.status} end`,
        lockedUntil: null,
        toAddress: "",
        textBody: "",
      })
      .where(mailOfPerson);

    // The confirmation goes to the last address, queued before the address is removed.
    if (email) await queueMail(tx, { to: email, ...accountClosedMail() });

    await tx
      .update(users)
      .set({
        closedAt: sql`now()`,
        username: null,
        email: null,
        phone: null,
        passwordHash: null,
        firstName: "",
        lastName: "",
        billingSameAsService: true,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
    await tx.delete(addresses).where(eq(addresses.userId, userId));
    await tx.delete(paymentMethods).where(eq(paymentMethods.userId, userId));
    await tx.delete(emailChangeRequests).where(eq(emailChangeRequests.userId, userId));
    await tx.delete(passwordResets).where(eq(passwordResets.userId, userId));
    // Passkeys, the authenticator app's secret and recovery codes: nothing left to sign in with.
    await removeAllFactors(tx, userId);
    await tx
      .delete(loginThrottle)
      .where(
        inArray(loginThrottle.key, [
          `account:${userId}`,
          `password-check:${userId}`,
          `reset-account:${userId}`,
          `second-step:${userId}`,
        ]),
      );
    // Rate-limit counters are keyed by address, not person, and may be shared; those of the
    // customer's addresses that count nothing now (a window over, or no failures left) go. A
    // counter still holding failures stays until its window ends (at most an hour): removing it
    // would lift a limit somebody else may be under.
    if (ips.length) {
      const keyed = (column: typeof loginThrottle.key | typeof rateCounters.key) =>
        or(...ips.map((ip) => sql`${column} like ${`%:${ip.replace(/[%_\\]/g, "")}`}`));
      await tx
        .delete(loginThrottle)
        .where(
          and(
            keyed(loginThrottle.key),
            or(
              eq(loginThrottle.failures, 0),
              sql`${loginThrottle.windowStartedAt} < now() - make_interval(mins => ${env().LOGIN_WINDOW_MINUTES})`,
            ),
          ),
        );
      await tx
        .delete(rateCounters)
        .where(and(keyed(rateCounters.key), sql`${rateCounters.windowStartedAt} < now() - interval '1 hour'`));
    }
    // Mail limits keyed to the person (lib/mail/limits.ts): their own count, and their addresses'
    // (hashed, but still theirs). The account and its addresses are going, so nothing they hold
    // back is anyone else's to keep.
    await tx
      .delete(rateCounters)
      .where(inArray(rateCounters.key, [`mail:user:${userId}`, ...emails.map((e) => recipientKey(e))]));
    await tx.update(sessions).set({ ip: "", userAgent: "", browser: "", os: "" }).where(eq(sessions.userId, userId));

    // Chats: the conversation stays for the desk's records (when, how long, which rep), emptied of
    // what was said and who said it: a rep's words can hold the customer's name or address too.
    const chatIds = (
      await tx
        .select({ id: chatConversations.id })
        .from(chatConversations)
        .where(
          or(
            eq(chatConversations.customerId, userId),
            emails.length ? inArray(sql`lower(${chatConversations.visitorEmail})`, emails) : undefined,
          ),
        )
    ).map((c) => c.id);
    if (chatIds.length) {
      await tx
        .update(chatConversations)
        .set({ visitorName: null, visitorEmail: null, visitorAccountNumber: null, topic: "", ip: "" })
        .where(inArray(chatConversations.id, chatIds));
      await tx.update(chatMessages).set({ body: "", data: {} }).where(inArray(chatMessages.conversationId, chatIds));
      await tx.update(chatProposals).set({ payload: {} }).where(inArray(chatProposals.conversationId, chatIds));
      // A chat still open ends now, as if the customer had ended it: the rep's console is told.
      const open = await tx
        .select()
        .from(chatConversations)
        .where(and(inArray(chatConversations.id, chatIds), ne(chatConversations.status, "closed")));
      for (const c of open) await closeConversation(tx, c, "customer", userId, "account closed");
    }
    await tx.update(chatProposals).set({ payload: {} }).where(eq(chatProposals.customerId, userId));
    // Contact Us messages: kept as "a request on this date about this topic", without its words.
    await tx
      .update(contactRequests)
      .set({ name: "", email: "", accountNumber: "", message: "", ip: "" })
      .where(
        or(
          eq(contactRequests.userId, userId),
          emails.length ? inArray(sql`lower(${contactRequests.email})`, emails) : undefined,
        ),
      );
    // A reason a rep typed before opening the account may name the customer.
    const grants = await tx
      .select({
        id: staffAccessGrants.id,
        reasonText: staffAccessGrants.reasonText,
        reference: staffAccessGrants.reference,
      })
      .from(staffAccessGrants)
      .where(eq(staffAccessGrants.customerId, userId));
    for (const g of grants) {
      if (mentions(g.reasonText, needles) || mentions(g.reference, needles)) {
        await tx
          .update(staffAccessGrants)
          .set({
            reasonText: mentions(g.reasonText, needles) ? "" : g.reasonText,
            reference: mentions(g.reference, needles) ? "" : g.reference,
          })
          .where(eq(staffAccessGrants.id, g.id));
      }
    }

    // The ledgers and the audit trail stay; their personal columns are blanked (users.closed_at
    // is set above, which is what the triggers of migration 0007 require).
    await tx
      .update(consentEvents)
      .set({ ip: "", userAgent: "" })
      .where(and(eq(consentEvents.userId, userId), or(ne(consentEvents.ip, ""), ne(consentEvents.userAgent, ""))));
    await tx
      .update(privacyChoiceEvents)
      .set({ ip: "", userAgent: "" })
      .where(
        and(
          eq(privacyChoiceEvents.userId, userId),
          or(ne(privacyChoiceEvents.ip, ""), ne(privacyChoiceEvents.userAgent, "")),
        ),
      );
    const auditRows = await tx
      .select({ id: auditEvents.id, ip: auditEvents.ip, detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, userId), isNotNull(auditEvents.detail)));
    for (const row of auditRows) {
      let changed = row.ip !== "";
      const detail: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row.detail)) {
        const blank = value !== "" && (PERSONAL_DETAIL_KEYS.has(key) || mentions(value, needles));
        detail[key] = blank ? "" : value;
        changed ||= blank;
      }
      if (changed) await tx.update(auditEvents).set({ ip: "", detail }).where(eq(auditEvents.id, row.id));
    }

    await recordAudit(tx, {
      actorId: userId,
      subjectUserId: userId,
      action: "account.closed",
      detail: { sessionsEnded, marketingWithdrawn: granted.length },
      // No address: the account is being anonymised.
      ip: "",
    });
  });
  return ok(undefined, "Your account is closed.");
}
