import "server-only";
import { appUrl } from "@/lib/env";

// Plain-text bodies: every client renders them, and nothing in them can be an HTML injection.

export function passwordResetMail(link: string) {
  return {
    subject: "Reset your MyAccount password",
    text: `Someone (hopefully you) asked to reset the password of your MyAccount.

Choose a new password here (the link works once, for 30 minutes):
${link}

If you did not ask for this, ignore this e-mail; your password stays as it is.`,
  };
}

export function passwordChangedMail() {
  return {
    subject: "Your MyAccount password was changed",
    text: `The password of your MyAccount was just changed, and your other devices were signed out.

If this was not you, reset your password now at ${appUrl()}/forgot-password and contact us at ${appUrl()}/contact.`,
  };
}

export function welcomeMail(username: string) {
  return {
    subject: "Welcome to MyAccount",
    text: `Your MyAccount is ready. Sign in at ${appUrl()}/login with the username ${username}.

If you did not create this account, contact us at ${appUrl()}/contact.`,
  };
}

export function profileUpdatedMail(section: string) {
  return {
    subject: "Your MyAccount profile was updated",
    text: `Your ${section} was just changed in MyAccount.

You can see every change to your account, and who made it, at ${appUrl()}/account/activity.
If this was not you, contact us at ${appUrl()}/contact right away.`,
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

export function verifyNewEmailMail(link: string) {
  return {
    subject: "Confirm your new e-mail address",
    text: `Please confirm that this is the new e-mail address for your MyAccount.

Confirm here (the link works once, for 24 hours):
${link}

Until you confirm, we keep using your current address. If you did not ask for this, ignore this e-mail.`,
  };
}

export function emailChangeRequestedMail(newEmailMasked: string) {
  return {
    subject: "A change of your MyAccount e-mail address was requested",
    text: `Someone signed in to your MyAccount asked to change its e-mail address to ${newEmailMasked}.
Nothing changes until the new address is confirmed; until then we keep writing to this one.

If this was not you, change your password at ${appUrl()}/account/security and contact us at ${appUrl()}/contact.`,
  };
}

export function emailChangedMail(newEmailMasked: string) {
  return {
    subject: "Your MyAccount e-mail address was changed",
    text: `The e-mail address of your MyAccount is now ${newEmailMasked}. We will no longer write to this address.

If this was not you, contact us at ${appUrl()}/contact right away.`,
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

Then sign in at ${appUrl()}/login. If you did not expect this, tell your administrator.`,
  };
}
