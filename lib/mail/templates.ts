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
