import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "@/db/client";
import {
  addresses,
  auditEvents,
  chatConversations,
  chatMessages,
  consentEvents,
  contactRequests,
  emailChangeRequests,
  emailTopics,
  paymentMethods,
  privacyChoiceEvents,
  sessions,
  users,
  type Role,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/capabilities";
import { describeActivity } from "@/lib/audit/activity";
import { disclosuresAbout } from "@/lib/lawful/register";
import { getPreferences } from "@/lib/preferences/queries";
import { factorSummary } from "@/lib/two-step/factors";
import { getPrivacyChoices } from "./choices";

const actor = alias(users, "actor");

/**
 * Everything MyAccount holds about one customer, as one JSON document ("Download my data"). Every
 * query is keyed by the id passed in, which the caller takes from the session: there is no way to
 * ask for somebody else's. Secrets are never selected: no password hash, no encrypted card or bank
 * number (only what Edit Profile shows: the label, the last four digits and the expiry), no token
 * hashes.
 */
export async function buildDataExport(userId: string) {
  const [user] = await db
    .select({
      username: users.username,
      accountNumber: users.accountNumber,
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      phone: users.phone,
      billingSameAsService: users.billingSameAsService,
      registeredAt: users.registeredAt,
      passwordChangedAt: users.passwordChangedAt,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;

  const [
    addressRows,
    paymentRows,
    emailChanges,
    preferences,
    privacyChoices,
    consentRows,
    privacyRows,
    activityRows,
    deviceRows,
    conversations,
    contactRows,
    lawfulRows,
    factors,
  ] = await Promise.all([
    db
      .select({
        kind: addresses.kind,
        line1: addresses.line1,
        line2: addresses.line2,
        city: addresses.city,
        state: addresses.state,
        zip: addresses.zip,
        updatedAt: addresses.updatedAt,
      })
      .from(addresses)
      .where(eq(addresses.userId, userId))
      .orderBy(asc(addresses.kind)),
    db
      .select({
        kind: paymentMethods.kind,
        label: paymentMethods.label,
        last4: paymentMethods.last4,
        expMonth: paymentMethods.expMonth,
        expYear: paymentMethods.expYear,
        holderName: paymentMethods.holderName,
        updatedAt: paymentMethods.updatedAt,
      })
      .from(paymentMethods)
      .where(eq(paymentMethods.userId, userId)),
    db
      .select({
        newEmail: emailChangeRequests.newEmail,
        requestedAt: emailChangeRequests.createdAt,
        expiresAt: emailChangeRequests.expiresAt,
        confirmedAt: emailChangeRequests.usedAt,
        cancelledAt: emailChangeRequests.cancelledAt,
      })
      .from(emailChangeRequests)
      .where(eq(emailChangeRequests.userId, userId))
      .orderBy(asc(emailChangeRequests.createdAt)),
    getPreferences(userId),
    getPrivacyChoices(db, userId),
    db
      .select({
        at: consentEvents.createdAt,
        topic: emailTopics.name,
        action: consentEvents.action,
        source: consentEvents.source,
        wording: consentEvents.wording,
        wordingVersion: consentEvents.wordingVersion,
        policyVersion: consentEvents.policyVersion,
        ip: consentEvents.ip,
        userAgent: consentEvents.userAgent,
      })
      .from(consentEvents)
      .innerJoin(emailTopics, eq(emailTopics.id, consentEvents.topicId))
      .where(eq(consentEvents.userId, userId))
      .orderBy(asc(consentEvents.createdAt), asc(consentEvents.id)),
    db
      .select({
        at: privacyChoiceEvents.createdAt,
        choice: privacyChoiceEvents.choice,
        action: privacyChoiceEvents.action,
        source: privacyChoiceEvents.source,
        wording: privacyChoiceEvents.wording,
        policyVersion: privacyChoiceEvents.policyVersion,
        ip: privacyChoiceEvents.ip,
        userAgent: privacyChoiceEvents.userAgent,
      })
      .from(privacyChoiceEvents)
      .where(eq(privacyChoiceEvents.userId, userId))
      .orderBy(asc(privacyChoiceEvents.createdAt), asc(privacyChoiceEvents.id)),
    db
      .select({
        at: auditEvents.createdAt,
        action: auditEvents.action,
        detail: auditEvents.detail,
        ip: auditEvents.ip,
        actorId: auditEvents.actorId,
        actorRole: actor.role,
        actorFirstName: actor.firstName,
      })
      .from(auditEvents)
      .leftJoin(actor, eq(actor.id, auditEvents.actorId))
      .where(eq(auditEvents.subjectUserId, userId))
      .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id)),
    db
      .select({
        browser: sessions.browser,
        os: sessions.os,
        userAgent: sessions.userAgent,
        ip: sessions.ip,
        signedInAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
        endedAt: sessions.revokedAt,
        endedBecause: sessions.revokedReason,
        signedInWith: sessions.verifiedBy,
      })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt)),
    db
      .select({
        id: chatConversations.id,
        topic: chatConversations.topic,
        status: chatConversations.status,
        startedAt: chatConversations.createdAt,
        closedAt: chatConversations.closedAt,
        closeReason: chatConversations.closeReason,
        ip: chatConversations.ip,
      })
      .from(chatConversations)
      .where(eq(chatConversations.customerId, userId))
      .orderBy(asc(chatConversations.createdAt)),
    db
      .select({
        id: contactRequests.id,
        at: contactRequests.createdAt,
        name: contactRequests.name,
        email: contactRequests.email,
        accountNumber: contactRequests.accountNumber,
        topic: contactRequests.topic,
        message: contactRequests.message,
        status: contactRequests.status,
        handledAt: contactRequests.handledAt,
      })
      .from(contactRequests)
      .where(eq(contactRequests.userId, userId))
      .orderBy(asc(contactRequests.createdAt)),
    // Entries of the lawful-request register naming this customer, except those legally
    // restricted from notice (lib/lawful/register.ts).
    disclosuresAbout(userId),
    factorSummary(userId),
  ]);

  const messages = conversations.length
    ? await db
        .select({
          conversationId: chatMessages.conversationId,
          seq: chatMessages.seq,
          kind: chatMessages.kind,
          author: chatMessages.author,
          body: chatMessages.body,
          at: chatMessages.createdAt,
        })
        .from(chatMessages)
        .where(
          inArray(
            chatMessages.conversationId,
            conversations.map((c) => c.id),
          ),
        )
        .orderBy(asc(chatMessages.conversationId), asc(chatMessages.seq))
    : [];

  return {
    format: "myaccount-data-export/1",
    exportedAt: new Date().toISOString(),
    profile: {
      username: user.username,
      accountNumber: user.accountNumber,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      phone: user.phone,
      billingSameAsService: user.billingSameAsService,
      customerSince: user.createdAt,
      registeredOnlineAt: user.registeredAt,
      passwordChangedAt: user.passwordChangedAt,
      emailChangeRequests: emailChanges,
    },
    addresses: addressRows,
    paymentMethod:
      paymentRows.map((p) => ({
        ...p,
        number: `${p.kind === "card" ? "Card" : "Account"} ending in ${p.last4}`,
        note: "The full number is stored encrypted for billing and is never shown or exported.",
      }))[0] ?? null,
    preferences: {
      email: preferences.map((t) => ({ topic: t.name, kind: t.mailClass, subscribed: t.subscribed })),
      privacy: privacyChoices,
    },
    consentHistory: { email: consentRows, privacy: privacyRows },
    activity: activityRows.map((r) => ({
      at: r.at,
      what: describeActivity(r.action, r.detail),
      action: r.action,
      who: !r.actorId
        ? null
        : r.actorId === userId
          ? "You"
          : `${r.actorFirstName} (${r.actorRole === "rep" ? "customer service" : r.actorRole})`,
      detail: r.detail,
      ip: r.ip,
    })),
    devices: deviceRows,
    // Names and dates only: no public key, credential id, shared secret or code hash leaves here.
    twoStepSignIn: {
      passkeys: factors.passkeys.map((p) => ({
        name: p.name,
        addedAt: p.createdAt,
        lastUsedAt: p.lastUsedAt,
        synced: p.backedUp,
      })),
      authenticatorApp: factors.authenticator
        ? { addedAt: factors.authenticator.confirmedAt, lastUsedAt: factors.authenticator.lastUsedAt }
        : null,
      recoveryCodes: factors.recoveryCodes
        ? { issuedAt: factors.recoveryCodes.issuedAt, unused: factors.recoveryCodes.unused }
        : null,
    },
    chats: conversations.map((c) => ({
      ...c,
      messages: messages.filter((m) => m.conversationId === c.id).map(({ conversationId: _c, ...m }) => m),
    })),
    contactRequests: contactRows,
    lawfulDisclosures: lawfulRows,
  };
}

export type DataExport = NonNullable<Awaited<ReturnType<typeof buildDataExport>>>;

/**
 * "Download my data" for the signed-in customer: the document and its file name, audited as
 * data.exported before it leaves. A refusal (no live session, or a staff session) is audited as
 * data.export_denied, with the address it came from.
 */
export async function exportMyData(
  viewer: { userId: string; role: Role } | null,
  meta: { ip: string },
): Promise<{ ok: true; filename: string; body: string } | { ok: false; code: "signedOut" | "forbidden" }> {
  if (!viewer || !can(viewer.role, "account.own")) {
    await recordAudit(db, {
      actorId: viewer?.userId ?? null,
      subjectUserId: null,
      action: "data.export_denied",
      detail: viewer ? { role: viewer.role } : { reason: "signed out" },
      ip: meta.ip,
    });
    return { ok: false, code: viewer ? "forbidden" : "signedOut" };
  }
  const started = Date.now();
  const data = await buildDataExport(viewer.userId);
  if (!data) return { ok: false, code: "signedOut" };
  const body = JSON.stringify(data, null, 2);
  await recordAudit(db, {
    actorId: viewer.userId,
    subjectUserId: viewer.userId,
    action: "data.exported",
    detail: { bytes: Buffer.byteLength(body), ms: Date.now() - started },
    ip: meta.ip,
  });
  return { ok: true, filename: `myaccount-data-${new Date().toISOString().slice(0, 10)}.json`, body };
}
