import "server-only";
/** Name of the functional cookie that remembers the username typed on the sign-in form. */
export const REMEMBER_COOKIE = "myaccount_remember_username";
/** The one answer for every failed sign-in, so it never tells which part was wrong. */
export const INCORRECT_SIGN_IN_MESSAGE = "The username or password is incorrect";
/** Auth.js's session cookie name with secure cookies on (lib/auth/config.ts sets useSecureCookies). */
export const SESSION_COOKIE = "__Secure-authjs.session-token";
