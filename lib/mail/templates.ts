import "server-only";
import { appUrl } from "@/lib/env";

// Plain-text bodies: every client renders them; the HTML part is made from them (render.ts).

export function passwordResetMail(link: string) {
  return {
    subject: "Reset your MyAccount password",
    text: `Someone (hopefully you) asked to reset the password of your MyAccount.

Choose a new password here (the link works once, for 30 minutes):
${link}

If you did not ask for this, ignore this e-mail; your password stays as it is.`,
  };
}

/**
 * Sign-in throttling (lib/auth/attack-alert.ts): the owner's one mail when their account is being
 * guessed at. Nothing the guesser typed goes in it.
 */
export function signInAttackMail(failures: number) {
  return {
    subject: "Someone is trying to sign in to your MyAccount",
    text: `There have been ${failures} or more unsuccessful attempts to sign in to your MyAccount in a short time, probably by someone guessing your password.

Your account is safe while they guess wrong: sign-ins from new devices are slowed down for a while. Your password still works as usual from the browsers where you have signed in before.

If your password might be known to someone else, or you use it elsewhere, change it now:
${appUrl()}/account/security

If you cannot sign in, resetting your password lets you in at once:
${appUrl()}/forgot-password

We send this at most once a day.`,
  };
}

/**
 * Every link stands on a line of its own, with nothing after it: mail clients and mailboxes that
 * detect links would otherwise swallow a full stop or a bracket into the URL.
 */

/** The "This wasn't me" paragraph every security alert ends with (lib/recovery/recover.ts). */
function notMeParagraph(notMeLink: string) {
  return `If this wasn't you, use this link. It signs out every device on your account and lets you choose a new password right away (it works once, for 7 days):
${notMeLink}`;
}

export function passwordChangedMail(notMeLink: string) {
  return {
    subject: "Your MyAccount password was changed",
    text: `The password of your MyAccount was just changed, and your other devices were signed out.

${notMeParagraph(notMeLink)}

You can also contact us:
${appUrl()}/contact`,
  };
}

export function welcomeMail(username: string) {
  return {
    subject: "Welcome to MyAccount",
    text: `Your MyAccount is ready. Sign in with the username ${username} here:
${appUrl()}/login

If you did not create this account, contact us:
${appUrl()}/contact`,
  };
}

/** Who made a profile change, as the digest mail says it. */
export type ChangedBy = "you" | "rep" | "chat";

const byWords: Record<ChangedBy, string> = {
  you: "by you",
  rep: "by a customer service representative",
  chat: "approved by you in a chat",
};

/**
 * The one "your profile was updated" mail for every change made within PROFILE_MAIL_WINDOW
 * (lib/mail/profile-digest.ts): what changed, when (in the customer's time zone) and by whom.
 */
export function profileUpdatedMail(changes: { what: string; when: string; by: ChangedBy }[]) {
  const list = changes.map((c) => `- ${c.what}: ${c.when}, ${byWords[c.by] ?? byWords.you}`).join("\n");
  return {
    subject: "Your MyAccount profile was updated",
    text: `${changes.length === 1 ? "This change was" : "These changes were"} made to your MyAccount profile:

${list}

You can see every change to your account, and who made it, in Account activity:
${appUrl()}/account/activity

If you did not make or approve ${changes.length === 1 ? "this change" : "these changes"}, contact us right away:
${appUrl()}/contact`,
  };
}

/** A payment method saved or removed: a security alert, sent at once and on its own. */
export function paymentMethodChangedMail(input: {
  summary: string | null;
  when: string;
  by: ChangedBy;
  notMeLink: string;
}) {
  const what = input.summary
    ? `The payment method on your MyAccount is now ${input.summary}.`
    : "The payment method on your MyAccount was removed.";
  return {
    subject: input.summary ? "Your MyAccount payment method was changed" : "Your MyAccount payment method was removed",
    text: `${what}
Changed ${input.when}, ${byWords[input.by] ?? byWords.you}.

${notMeParagraph(input.notMeLink)}`,
  };
}

/**
 * The one mail registration sends: the account is ready (the customer is already signed in), and
 * the address typed becomes the account's address once confirmed, like an e-mail change.
 */
export function registrationConfirmMail(username: string, link: string) {
  return {
    subject: "Welcome to MyAccount — please confirm your e-mail address",
    text: `Your MyAccount is ready. Your username is ${username}.

Please confirm that this is your e-mail address (the link works once, for 24 hours):
${link}

Until you confirm, we don't send account mail here. If you did not create this account, contact us:
${appUrl()}/contact`,
  };
}

/**
 * Registration with an address that already belongs to an account: the form answers as for a free
 * address (it must not tell who is a customer), and the owner of the address learns it here. No
 * confirmation link: the address stays with the account it belongs to.
 */
export function registrationAddressTakenMail() {
  return {
    subject: "Someone tried to register with your e-mail address",
    text: `Someone used this e-mail address to register an online account for MyAccount.

If it was you: you already have an online account with this address. Sign in here:
${appUrl()}/login
or, if you don't remember your password, reset it here:
${appUrl()}/forgot-password

If it wasn't you, you can ignore this e-mail: this address was not added to any other account.`,
  };
}

export function verifyNewEmailMail(link: string) {
  return {
    subject: "Confirm your new e-mail address",
    text: `Please confirm that this is the new e-mail address for your MyAccount.

Confirm here (the link works once, for 24 hours):
${link}

Until you confirm, we keep using your current address. If you did not ask for this, ignore this e-mail.`,
  };
}

export function emailChangeRequestedMail(newEmailMasked: string, notMeLink: string) {
  return {
    subject: "A change of your MyAccount e-mail address was requested",
    text: `Someone signed in to your MyAccount asked to change its e-mail address to ${newEmailMasked}.
Nothing changes until the new address is confirmed; until then we keep writing to this one.

${notMeParagraph(notMeLink)}
It also cancels the e-mail change.`,
  };
}

/** To the old address once the new one is confirmed: the undo link is bound to this address. */
export function emailChangedMail(newEmailMasked: string, undoLink: string) {
  return {
    subject: "Your MyAccount e-mail address was changed",
    text: `The e-mail address of your MyAccount is now ${newEmailMasked}. We will no longer write to this address.

If this wasn't you, undo the change with this link. It puts this address back, signs out every device and asks you to choose a new password (it works once, for 7 days):
${undoLink}`,
  };
}

/** A new staff account: the person chooses their own password; nobody ever tells them one. */
export function staffInvitationMail(input: {
  firstName: string;
  username: string;
  roleName: string;
  link: string;
  hours: number;
}) {
  return {
    subject: "Set your password for the MyAccount staff console",
    text: `Hello ${input.firstName},

An administrator created a staff account for you in the MyAccount console (${input.roleName}).
Your username is ${input.username}.

Choose your password here (the link works once, for ${input.hours} hours):
${input.link}

Then sign in here:
${appUrl()}/login

If you did not expect this, tell your administrator.`,
  };
}

/** To a staff member whose two-step sign-in an administrator reset: they must enrol again. */
export function staffTwoStepResetMail(input: { firstName: string; adminName: string }) {
  return {
    subject: "Your two-step sign-in for the MyAccount staff console was reset",
    text: `Hello ${input.firstName},

${input.adminName}, an administrator, removed your passkeys, authenticator app and recovery codes
from your staff account. You have been signed out everywhere.

The next time you sign in with your password you will be asked to set up two-step sign-in again:
${appUrl()}/login

If you did not ask for this, tell your security team at once.`,
  };
}
