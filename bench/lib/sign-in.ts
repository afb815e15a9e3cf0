/** Signing in as a browser with JS off does: the real no-JS server action POST to /login. */
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

export type SignInOutcome = { ok: boolean; status: number; ms: number; cookie?: string; reason?: string };

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
      return { ok: true, status: res.status, ms, cookie: session.join("; ") };
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
