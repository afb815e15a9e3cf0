/** Signing in as a browser with JS off does: the real no-JS server action POST to /login. */
import { Secret, TOTP } from "otpauth";
import { actionFieldsOf, htmlDecode, multipart, request, scrapeForm, target } from "./http";
import { SESSION_COOKIE } from "./settings";

/** The hidden `$ACTION_*` fields of the /login form. */
export type LoginForm = Record<string, string>;

/** The hidden `$ACTION_*` fields React renders into the progressive-enhancement form. */
export async function scrapeLoginForm(): Promise<LoginForm> {
  const res = await request("GET", "/login");
  if (res.status !== 200) throw new Error(`GET /login answered ${res.status}`);
  // The page has other forms (the cookie banner's comes first): the sign-in form is the one its
  // message describes.
  return actionFieldsOf(scrapeForm(res.body, /aria-describedby="login-message"/, "/login"));
}

export type SignInOutcome = {
  ok: boolean;
  status: number;
  ms: number;
  cookie?: string;
  reason?: string;
  /** Where the password led: home, or /login/verify (second step) or /login/enrol (staff without one). */
  location?: string;
};

export async function signIn(form: LoginForm, identifier: string, password: string): Promise<SignInOutcome> {
  const { body, contentType } = multipart({ ...form, next: "", identifier, password });
  const started = performance.now();
  try {
    const res = await request(
      "POST",
      "/login",
      { "content-type": contentType, origin: target.origin, accept: "text/html" },
      body,
    );
    const ms = performance.now() - started;
    const setCookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
    // Auth.js may split a large token into .0, .1… chunks; send back whatever it set.
    const session = setCookies
      .map((c) => c.split(";")[0])
      .filter((c) => c.startsWith(SESSION_COOKIE) && !c.endsWith("="));
    if (res.status === 303 && session.length > 0)
      return {
        ok: true,
        status: res.status,
        ms,
        cookie: session.join("; "),
        location: String(res.headers.location ?? ""),
      };
    const message = res.body.match(/role="(?:alert|status)"[^>]*>([^<]+)</)?.[1];
    return {
      ok: false,
      status: res.status,
      ms,
      reason: message ? htmlDecode(message) : `HTTP ${res.status}, no session cookie`,
    };
  } catch (err) {
    return { ok: false, status: 0, ms: performance.now() - started, reason: (err as Error).message };
  }
}

/** Signs in and returns the session cookie, or throws saying who could not. */
export async function sessionOf(form: LoginForm, identifier: string, password: string): Promise<string> {
  const outcome = await signIn(form, identifier, password);
  if (!outcome.ok || !outcome.cookie) throw new Error(`signing in as ${identifier} failed: ${outcome.reason}`);
  return outcome.cookie;
}

/** The authenticator secret the demo staff are seeded with (lib/demo/seed.ts). */
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP";
const TOTP_PERIOD_MS = 30_000;
/** Each 30-second step is accepted once per account: the last one this process used, per account. */
const lastStep = new Map<string, number>();

async function freshCode(secret: string, account: string): Promise<string> {
  const used = lastStep.get(account);
  if (used !== undefined && Math.floor(Date.now() / TOTP_PERIOD_MS) <= used) {
    await new Promise((r) => setTimeout(r, (used + 1) * TOTP_PERIOD_MS - Date.now() + 50));
  }
  const now = Date.now();
  lastStep.set(account, Math.floor(now / TOTP_PERIOD_MS));
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: now,
  });
}

/**
 * The second step as a browser with JS off does it: GET /login/verify with the partial session's
 * cookie, post the authenticator form with a code from `secret`. A code already used (an earlier
 * sign-in as this account in the same 30 s) is answered "already used": wait for the next step
 * and try once more. Returns the time spent in the POSTs.
 */
export async function completeSecondStep(cookie: string, account: string, secret = DEMO_TOTP_SECRET): Promise<number> {
  let ms = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    const page = await request("GET", "/login/verify", { cookie });
    if (page.status !== 200) throw new Error(`GET /login/verify as ${account} answered ${page.status}`);
    const fields = actionFieldsOf(scrapeForm(page.body, /aria-describedby="code-message"/, "/login/verify"));
    const { body, contentType } = multipart({ ...fields, next: "", code: await freshCode(secret, account) });
    const started = performance.now();
    const res = await request(
      "POST",
      "/login/verify",
      { "content-type": contentType, cookie, origin: target.origin, accept: "text/html" },
      body,
    );
    ms += performance.now() - started;
    if (res.status === 303 && !String(res.headers.location ?? "").startsWith("/login")) return ms;
    const message = res.body.match(/id="code-message"[^>]*>(?:<p[^>]*>)?([^<]+)</)?.[1];
    if (!message || !/already used/.test(htmlDecode(message))) {
      throw new Error(`second step as ${account} failed: ${message ? htmlDecode(message) : `HTTP ${res.status}`}`);
    }
    lastStep.set(account, Math.floor(Date.now() / TOTP_PERIOD_MS));
  }
  throw new Error(`second step as ${account}: the code was already used twice`);
}

/**
 * A staff session (password + authenticator code from the demo secret): what the bench signs in
 * "marketing" with. A password-only account (the demo customer) is signed in as before.
 */
export async function staffSessionOf(
  form: LoginForm,
  identifier: string,
  password: string,
  secret = DEMO_TOTP_SECRET,
): Promise<string> {
  const outcome = await signIn(form, identifier, password);
  if (!outcome.ok || !outcome.cookie) throw new Error(`signing in as ${identifier} failed: ${outcome.reason}`);
  if (outcome.location?.startsWith("/login/enrol")) {
    throw new Error(`${identifier} has no second factor: the demo seed gives staff one (lib/demo/seed.ts)`);
  }
  if (outcome.location?.startsWith("/login/verify")) await completeSecondStep(outcome.cookie, identifier, secret);
  return outcome.cookie;
}
