// Used twice below: on its own, and at the start of a longer sentence.
const emailTaken = "That e-mail address is already used by another account";
// Each used twice below: as a heading or a field's error, and as a sentence with its full stop.
const unsubscribeLinkInvalid = "This unsubscribe link isn't valid";
const chooseMarketingTopic = "Choose a marketing topic";

/**
 * The words a person reads when something is refused or fails, in one table. Domain functions in
 * lib/ report failures as a `Message` (a `MessageCode`, or a code with the value its sentence
 * needs); the edge (the action door, a route handler, a page) turns it into these words with
 * `say`. Client-safe: forms and error pages import it too.
 *
 * Field-level validation messages of the zod schemas stay beside their fields in the schema
 * files: the same schema runs in the browser and on the server, so they are typed once already.
 */
export const messages = {
  invalidInput: "Please correct the highlighted fields.",
  httpsRequired: "For your security, changes to your profile can only be made over a secure (HTTPS) connection",
  signedOut: "Your session has ended. Please sign in again.",
  forbidden: "You don't have permission to do that.",
  unexpected: "Something went wrong on our side — nothing was changed. Please try again.",
  outage: "We can't reach our systems right now — nothing was changed, please try again",

  // Sign-in, registration, passwords and devices (lib/auth).
  /** The one answer for every failed sign-in, so it never tells which part was wrong. */
  incorrectSignIn: "The username or password is incorrect",
  registerNoMatch:
    "We couldn't match that account number and service ZIP code to an account that can be registered. Check your bill, or contact us.",
  alreadyRegistered: "This account already has an online login. Sign in, or use “Forgot password”.",
  usernameTaken: "That username is taken",
  emailTaken,
  chooseAnotherPassword: "Please choose a different password.",
  commonPassword: "This password is too common — it appears in lists of breached passwords",
  currentPasswordWrong: "The current password is incorrect",
  resetLinkUsed: "This reset link has expired or was already used. Ask for a new one below.",
  deviceAlreadySignedOut: "That device was already signed out.",

  // Edit Profile and the e-mail change (lib/profile).
  /** A save refused because the section changed since the form was loaded (see claimSection). */
  staleSection:
    "This information changed since you opened it. What you typed is still here: compare it with what is saved now, then choose Use mine or Keep saved.",
  emailUnchanged: "That is already your e-mail address",
  emailTakenSinceRequested: `${emailTaken}. Start the change again with another address.`,
  emailLinkUsed:
    "This confirmation link has expired, was cancelled or was already used. Start the change again from Edit Profile.",
  noPendingEmailChange: "There is no e-mail change waiting for confirmation.",

  // "This wasn't me" and the e-mail undo links of security mails (lib/recovery).
  recoveryLinkUsed:
    "This link has expired or was already used. If you still can't get in, reset your password or contact us.",
  emailUndoTaken:
    "That e-mail address now belongs to another account, so we can't put it back. Nothing was changed. Please contact us.",

  // E-mail preferences and unsubscribe links (lib/preferences, app/u/[token]).
  topicNotSwitchable: "That e-mail topic can't be changed here. Transactional e-mail is always sent.",
  unsubscribeLinkInvalid: `${unsubscribeLinkInvalid}.`,
  /** The heading of the page a broken or expired unsubscribe link opens. */
  unsubscribeLinkInvalidHeading: unsubscribeLinkInvalid,
  unsubscribeNotForm: "The request body must be a form.",
  unsubscribeUnreadable: "The request body could not be read.",
  unsubscribeNotUnderstood:
    "The request must be a one-click unsubscribe (List-Unsubscribe=One-Click) or one of this page's buttons.",

  // Marketing console (lib/marketing, app/console/marketing).
  chooseMarketingTopic: `${chooseMarketingTopic}.`,
  /** The newsletter form's topic field. */
  chooseMarketingTopicField: chooseMarketingTopic,
  newsletterPreviewStale: "The topic or message changed since the preview. Preview again before sending.",
  newsletterHasUnknownFields: "The message uses a merge field that doesn't exist. Correct it, then preview again.",
  scheduleRequired: "Choose the date and time to send it",
  scheduleInvalid: "Enter a date and a time, such as 2026-12-24 09:00",
  scheduleInPast: "That time has already passed. Choose a later time, or Send now",
  scheduleTooFar: "Choose a time within the next 12 months",
  newsletterNotFound: "That newsletter doesn't exist.",
  newsletterAlreadyStarted: "It has already started, so it can no longer be cancelled.",
  newsletterAlreadyCancelled: "It was already cancelled. Nothing was sent.",
  newsletterTestNoAddress: "Your account has no e-mail address to send a test to. Ask an admin to add one.",
  exportSignedOut: "Sign in first.",
  exportForbidden: "Only marketing staff can export opt-in lists.",
  exportUnknownTopic: "Unknown or non-marketing topic.",

  // Support chat (lib/chat, app/api/chat, app/api/console/chats).
  /** Someone else's conversation, or none: the same answer, so nothing is revealed. */
  chatNotYours: "That conversation isn't available to you.",
  chatClosed: "This chat has ended. Start a new chat if you still need help.",
  chatAlreadyTaken: "Another representative has already taken this chat.",
  chatNotWaiting: "This chat is no longer waiting.",
  chatStaffUseConsole: "Staff answer chats from the console; the chat button is for customers.",
  chatNotEnded: "End the chat first; then the transcript can be e-mailed.",
  chatNoEmail: "There is no e-mail address to send the transcript to.",
  transcriptLimit: "The transcript has already been e-mailed 3 times for this chat.",
  proposalNotPending: "This change was already answered or withdrawn.",
  proposalNotForVisitor: "Changes can only be proposed to a signed-in customer.",
  notOriginal: "This request came from another site and was refused.",
  bodyTooLarge: "The request was too large.",
  chatNameRequired: "Enter your name",
  proposalBadPhone: "Enter a US phone number, such as (303) 555-0123",
  proposalBadState: "Choose a US state",
  chatEmailRequired: "Enter your e-mail address so we can reply if the chat is cut off",

  // Contact Us (lib/contact, app/contact).
  contactRequestNotFound: "That contact request doesn't exist.",
  contactRequestAlreadyHandled: "This contact request was already marked as handled.",

  // Reason-before-access, canned replies, support settings (lib/access, lib/support; console helper).
  accessReasonRequired: "State a reason before opening this customer's details.",
  accessNoCustomer: "There is no customer account to open.",
  cannedReplyGone: "This reply was deleted by someone else.",
  closedChatNotFound: "That chat doesn't exist or is past its retention period.",
  // Acting on a customer's behalf (lib/console/customer-act.ts; /console/customers/[id]).
  resetNoEmailOnFile: "This customer has no online account with an e-mail address, so no reset link can be sent.",
  resetTooManyForCustomer:
    "Several reset links were sent to this customer recently. Ask them to use the newest one, or try again later.",

  // Privacy policy versions (lib/policy; the admin's policy page).
  policyDraftStale:
    "Someone saved this draft since you opened it. Your text is kept below; saving again replaces theirs, so compare first.",
  policyNoDraft: "There is no draft to publish. Start a new draft first.",
  policyUnchanged: "The draft is the same as the policy in force. Change something before publishing.",
  policyPastDate: "The effective date can't be in the past.",
  policyUpcomingExists: "A published version is already waiting to take effect. Withdraw it before publishing another.",
  policyDateTaken: "A version already takes effect on that date. Choose another date.",
  policyNotUpcoming: "Only a version that hasn't taken effect yet can be withdrawn.",

  // The lawful-request register (lib/lawful; the admin's /console/admin/lawful) and its use as an access reason.
  lawfulReferenceTaken:
    "That register reference is already used. A correction is a new entry with a reference of its own.",
  lawfulReferenceUnknown:
    "That register reference isn't in the lawful-request register. An admin records the request first (Staff console → Lawful requests).",
  /** The reference field's own line beside lawfulReferenceUnknown. */
  lawfulReferenceUnknownField: "Not in the lawful-request register",

  // Find a customer (lib/console/search.ts, /console/customers).
  customerSearchNothing: "Type part of a name, or an account number, phone number, e-mail address or username.",

  // Staff accounts and the audit log (lib/staff, lib/audit/log.ts; the admin's pages).
  staffLastAdmin: "There must always be at least one active administrator. Make someone else an administrator first.",
  staffNotFound: "That staff account doesn't exist.",
  staffRoleUnchanged: "That is already their role.",
  auditExportSignedOut: "Sign in first.",
  auditExportForbidden: "Only administrators can export the audit log.",
  auditExportBadFilter: "The filters are not valid. Correct them on the audit log page, then export again.",

  // Two-step sign-in: passkeys, authenticator apps, recovery codes (lib/two-step).
  twoStepCodeWrong: "That code isn't right. Check the 6-digit code in your authenticator app and try again.",
  twoStepCodeUsed:
    "That code was already used. Wait for the next code in your authenticator app (a new one appears every 30 seconds).",
  recoveryCodeWrong: "That recovery code isn't right, or it was already used.",
  passkeyFailed: "Your passkey couldn't be verified. Try again, or choose another way to sign in.",
  passkeyUnknown: "We don't recognise that passkey. Sign in with your password, or use another passkey.",
  passkeyCancelled: "The passkey request was cancelled or timed out. Try again when you're ready.",
  passkeyNotSupported: "This browser can't use passkeys. Use another way to sign in.",
  twoStepSignInExpired: "Your sign-in took too long to finish. Please sign in again.",
  freshVerificationNeeded: "For your security, confirm it's you (password or passkey) before changing how you sign in.",
  authenticatorAlreadyOn: "An authenticator app is already set up. Remove it first to set up a new one.",
  authenticatorEnrolmentExpired: "Setting up the authenticator app took too long. Start again.",
  factorNotFound: "That sign-in method was already removed.",
  staffFactorRequired:
    "Staff accounts must keep a second step. Add another passkey or authenticator app before removing this one.",
  factorResetNotStaff: "Only a staff member's sign-in methods can be reset here.",
  currentPasswordNeeded: "Enter your current password to confirm it's you.",
  recoveryCodesNeedFactor: "Recovery codes come with two-step sign-in. Add a passkey or an authenticator app first.",
  staffTwoStepResetSelf:
    "You can't reset your own two-step sign-in here (this session would lose it). Ask another administrator, or manage it on Sign-in and security.",
} as const;

export type MessageCode = keyof typeof messages;

const attempts = {
  signIn: "sign-in attempts",
  registration: "registration attempts",
  passwordCheck: "password attempts",
  secondStep: "second-step attempts",
} as const;

/** "Too many unsuccessful …": the wait is part of the sentence. */
export type TooManyAttempts = { code: "tooManyAttempts"; of: keyof typeof attempts; retryAfterSeconds: number };

/** "Please slow down": too many messages or requests in a short time; the wait is part of the sentence. */
export type SlowDown = { code: "slowDown"; retryAfterSeconds: number };

/** Contact Us allows a few messages per client address per hour; the wait is part of the sentence. */
export type ContactLimit = { code: "contactLimit"; retryAfterSeconds: number };

/** Mails a person's actions may send per hour (lib/mail/limits.ts); the wait is part of the sentence. */
export type MailLimit = { code: "mailLimit"; retryAfterSeconds: number };

/** A material policy change needs 30 days' notice; the earliest allowed date is part of the sentence. */
export type PolicyTooEarly = { code: "policyTooEarly"; earliest: string };

/** Account numbers of a lawful request that name no customer: they are part of the sentence. */
export type LawfulUnknownAccounts = { code: "lawfulUnknownAccounts"; accounts: string[] };

/** Merge fields a newsletter uses that do not exist, and those that do: both are part of the sentence. */
export type UnknownMergeFields = { code: "unknownMergeFields"; names: string[]; known: string[] };

/** A scheduled time that the clocks skip that night (spring forward) in the sender's zone. */
export type ScheduleSkipped = { code: "scheduleSkipped"; timeZone: string };

/** What a refusal names: a code of the table, or a sentence that carries a value. */
export type Message =
  | MessageCode
  | TooManyAttempts
  | SlowDown
  | ContactLimit
  | MailLimit
  | PolicyTooEarly
  | LawfulUnknownAccounts
  | UnknownMergeFields
  | ScheduleSkipped;

/** The words of a message. */
export function say(message: Message): string {
  if (typeof message === "string") return messages[message];
  if (message.code === "slowDown") return `Please slow down — try again in ${formatWait(message.retryAfterSeconds)}.`;
  if (message.code === "lawfulUnknownAccounts") {
    const n = message.accounts.length;
    return `No customer has ${n === 1 ? "this account number" : "these account numbers"}: ${message.accounts.join(", ")}`;
  }
  if (message.code === "unknownMergeFields") {
    const names = message.names.map((n) => `{${n}}`).join(", ");
    const known = message.known.map((n) => `{${n}}`).join(", ");
    return `${message.names.length === 1 ? "There is no merge field" : "There are no merge fields"} ${names}. Use ${known}, with a fallback after a bar if you like: {${message.known[0]}|there}`;
  }
  if (message.code === "scheduleSkipped") {
    return `That time doesn't exist in ${message.timeZone}: the clocks skip it that night. Choose a time outside the change`;
  }
  if (message.code === "policyTooEarly") {
    return `A material change needs 30 days' notice: the earliest effective date is ${message.earliest}.`;
  }
  if (message.code === "mailLimit") {
    return `We've already sent several e-mails for you or to that address in the last hour. Please try again in ${formatWait(message.retryAfterSeconds)}.`;
  }
  if (message.code === "contactLimit") {
    return `We've received several messages from your connection in the last hour. Please try again in ${formatWait(message.retryAfterSeconds)}, or call us.`;
  }
  const retry = `Too many unsuccessful ${attempts[message.of]}. Please try again in ${formatWait(message.retryAfterSeconds)}`;
  // A reset lifts the account's limit (lib/auth/password-reset.ts), so it is the way in now. The
  // same words for a name that matches no account: they must not tell the two apart.
  if (message.of === "signIn") return `${retry}, or reset your password to sign in immediately.`;
  return `${retry}.`;
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
