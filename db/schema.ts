import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["customer", "rep", "marketing", "admin"]);
export type Role = (typeof roleEnum.enumValues)[number];

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/**
 * A person: a customer record (from billing; `username` stays null until they register online)
 * or a staff member. `version` is bumped by every edit for optimistic concurrency.
 */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    role: roleEnum("role").notNull().default("customer"),
    username: text("username"),
    accountNumber: text("account_number"),
    email: text("email"),
    passwordHash: text("password_hash"),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    /** E.164, e.g. +13035550123. */
    phone: text("phone"),
    billingSameAsService: boolean("billing_same_as_service").notNull().default(true),
    // One version per Edit Profile section, so saving the phone does not make an open name form
    // stale; `version` still counts every edit of the person.
    nameVersion: integer("name_version").notNull().default(1),
    addressVersion: integer("address_version").notNull().default(1),
    phoneVersion: integer("phone_version").notNull().default(1),
    emailVersion: integer("email_version").notNull().default(1),
    paymentVersion: integer("payment_version").notNull().default(1),
    registeredAt: timestamp("registered_at", { withTimezone: true }),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
    /** Set when the customer closed their account: personal fields are blanked, sign-in refused. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Set when an admin disables a staff account: its sessions end and sign-in is refused. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /**
     * IANA zone every time is shown in (pages and mails). Null until set from the browser at
     * sign-in or on Edit Profile; until then the service address's state decides (lib/time-zone).
     */
    timeZone: text("time_zone"),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_username_lower_key").on(sql`lower(${t.username})`),
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_account_number_key").on(t.accountNumber),
    // The console's phone search is an exact match on the stored E.164 form.
    index("users_phone_idx").on(t.phone),
    // The name search indexes (prefix, accent- and case-folded, customers only) are expressions
    // over the SQL function myaccount_fold(), so they live in drizzle/0009_staff_console.sql.
  ],
);

export const addressKindEnum = pgEnum("address_kind", ["service", "billing"]);

export const addresses = pgTable(
  "addresses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: addressKindEnum("kind").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2").notNull().default(""),
    city: text("city").notNull(),
    state: text("state").notNull(),
    zip: text("zip").notNull(),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex("addresses_user_kind_key").on(t.userId, t.kind)],
);

/** One signed-in device. The session JWT carries `id`; a row with `revokedAt` set ends it. */
export const sessionStageEnum = pgEnum("session_stage", ["full", "second_step", "enrol"]);
export type SessionStage = (typeof sessionStageEnum.enumValues)[number];

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent").notNull().default(""),
    browser: text("browser").notNull().default(""),
    os: text("os").notNull().default(""),
    ip: text("ip").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    /**
     * "full" is the only stage any page or action accepts (lib/auth/sessions.ts findActiveSession).
     * "second_step": the password was right and a factor is still owed; "enrol": a staff member
     * without a factor, who may only enrol one. Both expire within minutes (expires_at).
     */
    stage: sessionStageEnum("stage").notNull().default("full"),
    /** How this session was signed in, shown on the device list: "password", "password+authenticator", "passkey", … */
    verifiedBy: text("verified_by").notNull().default("password"),
    /** The last time this session proved its owner (sign-in or "confirm it's you"); factor changes need it within 5 minutes. */
    reauthenticatedAt: timestamp("reauthenticated_at", { withTimezone: true }).notNull().defaultNow(),
    /** "password" or "passkey": a passkey confirmation stands in for retyping the password on sensitive changes. */
    reauthenticatedBy: text("reauthenticated_by").notNull().default("password"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * WebAuthn credentials (passkeys). Only the public key is kept; `counter` is the authenticator's
 * signature counter (0 for synced passkeys, which do not count).
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** base64url, as the browser reports it. */
    credentialId: text("credential_id").notNull(),
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").notNull().default(""),
    name: text("name").notNull(),
    deviceType: text("device_type").notNull().default("singleDevice"),
    backedUp: boolean("backed_up").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_idx").on(t.userId)],
);

/**
 * An authenticator app (TOTP, RFC 6238), one per person. The secret is encrypted like payment
 * numbers (lib/crypto/secret-box.ts, bound to the user id). `confirmedAt` stays null until the
 * first code is entered; only a confirmed one is a factor. `lastUsedStep` refuses a code's replay.
 */
export const authenticatorApps = pgTable("authenticator_apps", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretBox: text("secret_box").notNull(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
});

/** Single-use recovery codes, stored as SHA-256 hashes; regenerating deletes the old set. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/**
 * WebAuthn challenges between "options" and "verify", single-use (deleted when redeemed) and
 * short-lived, kept in the database so any instance can finish what another started.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    challenge: text("challenge").primaryKey(),
    purpose: text("purpose").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

/** Failed sign-in counters, keyed `account:<id>` or `ip:<address>`, shared by every instance. */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
  // Growing-delay limits (lib/auth/throttle.ts): the next attempt this key lets through.
  nextAllowedAt: timestamp("next_allowed_at", { withTimezone: true }),
});

export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // sha256 of the token: a database leak does not hand out working reset links.
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("password_resets_token_hash_key").on(t.tokenHash)],
);

export const paymentKindEnum = pgEnum("payment_kind", ["card", "bank"]);

/**
 * The payment method on file (one per customer). Pages only ever see `label` (brand or account
 * type), `last4` and the expiry; the full number exists only as AES-256-GCM ciphertext that the
 * web app never decrypts (the billing system that charges it holds the key in production).
 */
export const paymentMethods = pgTable(
  "payment_methods",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: paymentKindEnum("kind").notNull(),
    label: text("label").notNull(),
    last4: text("last4").notNull(),
    expMonth: integer("exp_month"),
    expYear: integer("exp_year"),
    holderName: text("holder_name").notNull(),
    encryptedNumber: text("encrypted_number").notNull(),
    // Its optimistic version is users.payment_version: the section exists before a row does.
    ...timestamps,
  },
  (t) => [uniqueIndex("payment_methods_user_key").on(t.userId)],
);

/** A requested e-mail change; takes effect only when the link sent to the new address is used. */
export const emailChangeRequests = pgTable(
  "email_change_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_change_requests_token_hash_key").on(t.tokenHash),
    index("email_change_requests_user_idx").on(t.userId),
  ],
);

/**
 * Profile changes waiting for their one "your profile was updated" mail: the first change opens
 * the window (PROFILE_MAIL_WINDOW), later ones append to `changes`, and the mail worker turns a
 * row whose `dueAt` has passed into one mail listing them all.
 */
export const profileMailDigests = pgTable(
  "profile_mail_digests",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    changes: jsonb("changes").$type<{ at: string; what: string; by: string }[]>().notNull().default([]),
    firstAt: timestamp("first_at", { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("profile_mail_digests_due_idx").on(t.dueAt)],
);

export const recoveryKindEnum = pgEnum("recovery_kind", ["not_me", "email_undo"]);

/**
 * Links in security mails that hand the account back to its owner: "This wasn't me" (every
 * security alert) and the e-mail-change undo sent to the old address (`oldEmail`). `eventAt` is
 * when the alerted change happened: recovery removes what was added since then.
 */
export const recoveryTokens = pgTable(
  "recovery_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: recoveryKindEnum("kind").notNull(),
    tokenHash: text("token_hash").notNull(),
    oldEmail: text("old_email"),
    eventAt: timestamp("event_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("recovery_tokens_token_hash_key").on(t.tokenHash),
    index("recovery_tokens_user_idx").on(t.userId),
  ],
);

export const mailClassEnum = pgEnum("mail_class", ["transactional", "marketing"]);
// "suppressed": a marketing mail whose recipient had withdrawn consent when the worker got to it.
export const mailStatusEnum = pgEnum("mail_status", ["pending", "sending", "sent", "failed", "suppressed"]);

/**
 * What a person can get e-mail about. `marketing` topics need consent and can be switched off;
 * `transactional` ones (account activity, orders and payments, security and policy notices) are
 * always sent. `wording` is the exact question shown; its version is copied into every consent event.
 */
export const emailTopics = pgTable("email_topics", {
  id: text("id").primaryKey(),
  /** Small stable number used inside unsubscribe tokens. */
  code: integer("code").notNull().unique(),
  mailClass: mailClassEnum("mail_class").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  wording: text("wording").notNull(),
  wordingVersion: integer("wording_version").notNull().default(1),
  listId: text("list_id").notNull(),
  sortOrder: integer("sort_order").notNull().default(0),
});

export const consentActionEnum = pgEnum("consent_action", ["granted", "withdrawn"]);
export const consentSourceEnum = pgEnum("consent_source", [
  "account",
  "email-link",
  "one-click",
  "rep",
  "chat",
  "register",
  // "Subscribe again" on the page a one-click or e-mail-link unsubscribe lands on.
  "resubscribe",
]);

/**
 * The consent ledger: append-only (a trigger refuses UPDATE and DELETE). Every change of a
 * marketing choice is one row, with the words shown and the policy in force.
 */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicId: text("topic_id")
      .notNull()
      .references(() => emailTopics.id),
    action: consentActionEnum("action").notNull(),
    source: consentSourceEnum("source").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    wording: text("wording").notNull(),
    wordingVersion: integer("wording_version").notNull(),
    policyVersion: text("policy_version").notNull(),
    ip: text("ip").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("consent_events_user_idx").on(t.userId, t.createdAt),
    index("consent_events_topic_day_idx").on(t.topicId, t.createdAt),
  ],
);

/** Current state per person and topic, written in the same transaction as its ledger event. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicId: text("topic_id")
      .notNull()
      .references(() => emailTopics.id),
    status: consentActionEnum("status").notNull(),
    source: consentSourceEnum("source").notNull(),
    /** When the current opt-in began (null while withdrawn). */
    optedInAt: timestamp("opted_in_at", { withTimezone: true }),
    wordingVersion: integer("wording_version").notNull(),
    lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.topicId] }),
    index("subscriptions_topic_status_idx").on(t.topicId, t.status, t.userId),
  ],
);

/**
 * scheduled → (cancelled | queueing → queued). Only the one UPDATE that moves a row out of
 * 'scheduled' starts it, so two instances polling for due sends never start one twice.
 */
export const newsletterStatusEnum = pgEnum("newsletter_status", ["queueing", "queued", "scheduled", "cancelled"]);

/** A marketing send to a topic's opt-ins; its mails are mail_outbox rows with its id. */
export const newsletters = pgTable(
  "newsletters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    topicId: text("topic_id")
      .notNull()
      .references(() => emailTopics.id),
    subject: text("subject").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    status: newsletterStatusEnum("status").notNull().default("queueing"),
    recipients: integer("recipients").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** One per previewed composition: a second click of "Send" (or a replayed POST) finds this row. */
    sendKey: text("send_key"),
    /** When a scheduled send is due (null: sent at once). */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    /** The sender's time zone when it was scheduled, to show the time as they chose it. */
    timeZone: text("time_zone"),
    /** When queueing began (the move out of 'scheduled', or creation for "Send now"). */
    startedAt: timestamp("started_at", { withTimezone: true }),
    /** The queueing lease: the instance adding rows renews it; another may take over once it lapses. */
    queueLeaseUntil: timestamp("queue_lease_until", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: uuid("cancelled_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("newsletters_send_key").on(t.sendKey),
    // Not partial on status = 'scheduled': a new enum value cannot be used in the migration that adds it.
    index("newsletters_due_idx").on(t.status, t.scheduledAt),
  ],
);

/** Written in the same transaction as the change that causes the mail; drained by lib/mail/worker. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    mailClass: mailClassEnum("mail_class").notNull().default("transactional"),
    /** For marketing mail: whose consent to check at send time, for which topic. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    topicId: text("topic_id").references(() => emailTopics.id),
    newsletterId: uuid("newsletter_id").references(() => newsletters.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    /** The HTML part (null: the mail is plain text only). */
    htmlBody: text("html_body"),
    status: mailStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("mail_outbox_newsletter_idx").on(t.newsletterId, t.status),
    // One copy of a newsletter per person: queueing can resume after a restart without doubles.
    uniqueIndex("mail_outbox_newsletter_user_key")
      .on(t.newsletterId, t.userId)
      .where(sql`${t.newsletterId} is not null`),
  ],
);

/** The local mailbox used when no SMTP_URL is set (readable at /dev/mailbox from loopback). */
export const devMailbox = pgTable("dev_mailbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  fromAddress: text("from_address").notNull(),
  toAddress: text("to_address").notNull(),
  subject: text("subject").notNull(),
  textBody: text("text_body").notNull(),
  htmlBody: text("html_body"),
  headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only record of who did what to whose data; no UPDATE or DELETE in code. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    subjectUserId: uuid("subject_user_id").references(() => users.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_subject_idx").on(t.subjectUserId, t.createdAt),
    // The admin's audit log: newest first, keyset-paged on (created_at, id), optionally by actor or action.
    index("audit_events_time_idx").on(t.createdAt, t.id),
    index("audit_events_actor_idx").on(t.actorId, t.createdAt, t.id),
    index("audit_events_action_idx").on(t.action, t.createdAt, t.id),
  ],
);

/**
 * The lawful-request register: what the company disclosed to an authority, on what legal basis,
 * for which customers, by whom and when. Entries are not edited: a correction is a new entry.
 * Unless `restricted` (with its basis recorded), each affected customer reads the disclosure in
 * their account activity and data download.
 */
export const lawfulRequests = pgTable(
  "lawful_requests",
  {
    id: serial("id").primaryKey(),
    authority: text("authority").notNull(),
    legalBasis: text("legal_basis").notNull(),
    reference: text("reference").notNull(),
    /** What was disclosed, in words ("Name, service address and call records 1–30 Nov 2026"). */
    disclosed: text("disclosed").notNull(),
    receivedOn: date("received_on", { mode: "string" }).notNull(),
    restricted: boolean("restricted").notNull().default(false),
    /** Why the customers may not be told (a court order's gag clause…); required when restricted. */
    restrictionBasis: text("restriction_basis").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("lawful_requests_reference_key").on(t.reference),
    index("lawful_requests_time_idx").on(t.createdAt),
  ],
);

export const lawfulRequestCustomers = pgTable(
  "lawful_request_customers",
  {
    requestId: integer("request_id")
      .notNull()
      .references(() => lawfulRequests.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.customerId] }),
    index("lawful_request_customers_customer_idx").on(t.customerId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Support: the "Need Help" chat, Contact Us, and staff access to a customer's data

export const chatStatusEnum = pgEnum("chat_status", ["waiting", "active", "closed"]);
export type ChatStatus = (typeof chatStatusEnum.enumValues)[number];

/**
 * One support conversation ("chat #id"). Either a signed-in customer's (`customerId`, taken from
 * the session on the server) or a visitor's, bound to the sha256 of a token kept in an HttpOnly
 * cookie. `lastSeq` numbers its messages: a message takes the conversation row's lock to get the
 * next number, so numbers commit in order with no gaps, and a stream that has seen n can ask
 * for "after n" without ever skipping a late commit.
 */
export const chatConversations = pgTable(
  "chat_conversations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "set null" }),
    visitorTokenHash: text("visitor_token_hash"),
    visitorName: text("visitor_name"),
    visitorEmail: text("visitor_email"),
    visitorAccountNumber: text("visitor_account_number"),
    topic: text("topic").notNull().default(""),
    status: chatStatusEnum("status").notNull().default("waiting"),
    repId: uuid("rep_id").references(() => users.id, { onDelete: "set null" }),
    lastSeq: integer("last_seq").notNull().default(0),
    transcriptsSent: integer("transcripts_sent").notNull().default(0),
    closedBy: text("closed_by"),
    closeReason: text("close_reason"),
    ip: text("ip").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    takenAt: timestamp("taken_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("chat_conversations_status_idx").on(t.status, t.createdAt),
    index("chat_conversations_customer_idx").on(t.customerId, t.createdAt),
    index("chat_conversations_rep_idx").on(t.repId, t.status),
    index("chat_conversations_closed_idx")
      .on(t.closedAt)
      .where(sql`${t.status} = 'closed'`),
    uniqueIndex("chat_conversations_visitor_key").on(t.visitorTokenHash),
  ],
);

export const chatMessageKindEnum = pgEnum("chat_message_kind", [
  "message",
  "joined",
  "closed",
  "proposal",
  "proposal_answer",
  "notice",
]);
export const chatAuthorEnum = pgEnum("chat_author", ["customer", "rep", "system"]);

/** Everything that happens in a conversation, in order; (conversation, seq) is the stream's cursor. */
export const chatMessages = pgTable(
  "chat_messages",
  {
    conversationId: bigint("conversation_id", { mode: "number" })
      .notNull()
      .references(() => chatConversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: chatMessageKindEnum("kind").notNull().default("message"),
    author: chatAuthorEnum("author").notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull().default(""),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);

export const proposalStatusEnum = pgEnum("chat_proposal_status", ["pending", "approved", "declined", "withdrawn"]);

/**
 * A change a rep proposed in a chat. Only the customer, in their own session, can apply it (through
 * the same domain function as Edit Profile); the rep can only propose or withdraw.
 */
export const chatProposals = pgTable(
  "chat_proposals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: bigint("conversation_id", { mode: "number" })
      .notNull()
      .references(() => chatConversations.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    repId: uuid("rep_id").references(() => users.id, { onDelete: "set null" }),
    /** "phone" | "address" | "offers" */
    field: text("field").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: proposalStatusEnum("status").notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [index("chat_proposals_conversation_idx").on(t.conversationId)],
);

/** A rep is online while a /console/chats tab keeps `lastSeenAt` fresh and they have not chosen "Away". */
export const chatPresence = pgTable("chat_presence", {
  staffId: uuid("staff_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  away: boolean("away").notNull().default(false),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The support desk's settings (one row, id 1). `hours` null means open at all hours; otherwise
 * `{ "mon": ["08:00", "20:00"], ... }` in `timeZone`, a missing day being closed.
 */
export const supportSettings = pgTable("support_settings", {
  id: integer("id").primaryKey().default(1),
  hours: jsonb("hours").$type<Record<string, [string, string]> | null>(),
  timeZone: text("time_zone").notNull().default("America/Denver"),
  retentionDays: integer("retention_days").notNull().default(365),
  /** What the offline panel promises, e.g. "within one business day". */
  expectedReply: text("expected_reply").notNull().default("within one business day"),
  version: integer("version").notNull().default(1),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Ready-made answers reps insert into a chat; admins manage them. */
export const chatCannedReplies = pgTable("chat_canned_replies", {
  id: uuid("id").primaryKey().defaultRandom(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  version: integer("version").notNull().default(1),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
});

export const contactStatusEnum = pgEnum("contact_status", ["open", "handled"]);

/** A Contact Us message; reps see open ones beside the chat queue. */
export const contactRequests = pgTable(
  "contact_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    accountNumber: text("account_number").notNull().default(""),
    topic: text("topic").notNull(),
    message: text("message").notNull(),
    ip: text("ip").notNull().default(""),
    status: contactStatusEnum("status").notNull().default("open"),
    handledBy: uuid("handled_by").references(() => users.id, { onDelete: "set null" }),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("contact_requests_status_idx").on(t.status, t.createdAt),
    index("contact_requests_user_idx").on(t.userId),
  ],
);

/**
 * Reason-before-access: a staff member may read a customer's personal data only under a grant
 * made with a stated reason (audited before anything is read), for one customer, for a bounded time.
 */
export const staffAccessGrants = pgTable(
  "staff_access_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    reasonText: text("reason_text").notNull().default(""),
    reference: text("reference").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("staff_access_grants_lookup_idx").on(t.staffId, t.customerId, t.expiresAt)],
);

/** Fixed-window counters for rate limits other than sign-in (chat, contact form), shared by instances. */
export const rateCounters = pgTable("rate_counters", {
  key: text("key").primaryKey(),
  hits: integer("hits").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
});

// ---------------------------------------------------------------------------------------------
// Privacy: the policy and its versions, cookie and other privacy choices, products in the
// customer's area, and usage counts that identify no one

export const policyStatusEnum = pgEnum("policy_status", ["draft", "published"]);

/**
 * Every version of the privacy policy, as Markdown. The one in force is chosen by date: the
 * published version with the latest `effective_at` not after now, so a change takes effect with
 * no job to run. `version` is the label consent records cite (e.g. "2005-11-14").
 */
export const policyVersions = pgTable(
  "policy_versions",
  {
    id: serial("id").primaryKey(),
    version: text("version").notNull().unique(),
    title: text("title").notNull().default("Online Privacy Policy"),
    markdown: text("markdown").notNull(),
    /** The admin's short "what changed" summary, shown in the notice and beside the diff. */
    summary: text("summary").notNull().default(""),
    material: boolean("material").notNull().default(false),
    status: policyStatusEnum("status").notNull().default("draft"),
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    /** Optimistic concurrency for editing a draft (and publishing what was previewed). */
    rowVersion: integer("row_version").notNull().default(1),
    /** The notice mailing of a published version: resumable by the last user id queued. */
    noticeTotal: integer("notice_total").notNull().default(0),
    noticeQueued: integer("notice_queued").notNull().default(0),
    noticeCursor: uuid("notice_cursor"),
    noticeDoneAt: timestamp("notice_done_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("policy_versions_effective_idx").on(t.status, t.effectiveAt)],
);

/** One notice mail per person per policy version, whatever happens to the mailing job. */
export const policyNotices = pgTable(
  "policy_notices",
  {
    policyVersionId: integer("policy_version_id")
      .notNull()
      .references(() => policyVersions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.policyVersionId, t.userId] })],
);

export const privacyChoiceEnum = pgEnum("privacy_choice", ["cookies_functional", "cookies_analytics", "area_offers"]);
export type PrivacyChoice = (typeof privacyChoiceEnum.enumValues)[number];

/**
 * The ledger of privacy choices that are not e-mail topics (cookie categories, products in your
 * area): append-only like consent_events (migration 0007's triggers), with the words shown and
 * the policy in force. Together they are the consent ledger.
 */
export const privacyChoiceEvents = pgTable(
  "privacy_choice_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    choice: privacyChoiceEnum("choice").notNull(),
    action: consentActionEnum("action").notNull(),
    /** Where it was made: "banner", "privacy-centre", "sign-in" (remember my username), "gpc". */
    source: text("source").notNull(),
    wording: text("wording").notNull(),
    policyVersion: text("policy_version").notNull(),
    ip: text("ip").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("privacy_choice_events_user_idx").on(t.userId, t.createdAt)],
);

/** Current state per person and choice, written in the same transaction as its ledger event. */
export const privacyChoices = pgTable(
  "privacy_choices",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    choice: privacyChoiceEnum("choice").notNull(),
    granted: boolean("granted").notNull(),
    lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.choice] })],
);

/** The demo's catalogue of offers by the first three digits of a service ZIP code. */
export const areaOffers = pgTable(
  "area_offers",
  {
    id: serial("id").primaryKey(),
    zipPrefix: text("zip_prefix").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    monthlyPriceCents: integer("monthly_price_cents").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [index("area_offers_zip_idx").on(t.zipPrefix, t.sortOrder)],
);

/** Page views per path per day: counted only with analytics consent; nothing that identifies. */
export const usagePageViews = pgTable(
  "usage_page_views",
  {
    day: date("day", { mode: "string" }).notNull(),
    path: text("path").notNull(),
    views: integer("views").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.path] })],
);

/** Visits per campaign (utm_source / utm_medium / utm_campaign) per day; same rules. */
export const usageCampaigns = pgTable(
  "usage_campaigns",
  {
    day: date("day", { mode: "string" }).notNull(),
    source: text("source").notNull(),
    medium: text("medium").notNull().default(""),
    campaign: text("campaign").notNull().default(""),
    visits: integer("visits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.source, t.medium, t.campaign] })],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type ConsentSource = (typeof consentSourceEnum.enumValues)[number];
