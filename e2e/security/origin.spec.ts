import { expect, test } from "@playwright/test";
import { e2e } from "../support/config";
import { setConsent, subscriptionsOf, unsubscribeLinkByMail } from "../support/preferences";
import { createCustomer, type TestCustomer } from "../support/users";
import {
  actionId,
  browserHeaders,
  callAction,
  changedTables,
  manifestActions,
  raw,
  refusalOf,
  sessionFor,
  snapshot,
} from "./support";

/*
 * Where a request says it comes from, and over what: a foreign or missing Origin, a forged Host or
 * X-Forwarded-Host, Sec-Fetch-Site: cross-site, and plain HTTP dressed up as HTTPS. Each is tried
 * on a real change (the victim's name) that goes through when the request is honest, so the
 * refusal is the check under test and not a malformed request; and nothing is written.
 */

test.skip(e2e.db !== "postgres", "checks the run's Postgres database directly");

let victim: TestCustomer;
let cookie: string;
const NAME = { file: "app/account/profile/actions.ts", exportedName: "updateNameAction" };

test.beforeAll(async () => {
  victim = await createCustomer();
  cookie = (await sessionFor(victim.id)).cookie;
});

async function currentNameVersion(): Promise<string> {
  const { testDb } = await import("../support/users");
  const { rows } = await testDb().query<{ name_version: number }>("select name_version from users where id = $1", [
    victim.id,
  ]);
  return String(rows[0].name_version);
}

/** Renames the victim with the given headers over HTTPS (or plain HTTP), from the Edit Profile page. */
async function rename(headers: Record<string, string | undefined>, opts: { plain?: boolean; drop?: string[] } = {}) {
  const base: Record<string, string> = { ...browserHeaders() };
  for (const name of opts.drop ?? []) delete base[name];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return callAction({
    id: actionId(NAME.file, NAME.exportedName),
    page: "/account/profile",
    cookie,
    plain: opts.plain,
    headers: base,
    bare: true,
    input: { version: await currentNameVersion(), firstName: "Mallory", lastName: "Hostile" },
  });
}

const attempts: { name: string; headers: Record<string, string | undefined>; drop?: string[]; status?: number }[] = [
  { name: "a foreign Origin", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } },
  { name: "a foreign Origin claiming same-origin", headers: { origin: "https://evil.example" } },
  { name: "Origin: null (sandboxed frame)", headers: { origin: "null", "sec-fetch-site": "cross-site" } },
  { name: "a look-alike Origin", headers: { origin: `https://localhost:${e2e.port}.evil.example` } },
  {
    name: "neither Origin nor Sec-Fetch-Site (a script, not a browser)",
    headers: {},
    drop: ["origin", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest"],
    status: 403,
  },
  {
    name: "Sec-Fetch-Site: cross-site with the right Origin",
    headers: { "sec-fetch-site": "cross-site" },
    status: 403,
  },
  {
    name: "Sec-Fetch-Site: cross-site and no Origin",
    headers: { "sec-fetch-site": "cross-site" },
    drop: ["origin"],
    status: 403,
  },
  {
    name: "a forged X-Forwarded-Host matching a foreign Origin",
    headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
  },
  {
    name: "a forged Host matching a foreign Origin",
    headers: { origin: "https://evil.example", host: "evil.example", "sec-fetch-site": "cross-site" },
  },
  { name: "a bad Origin syntax", headers: { origin: "https://[::1" } },
  { name: "an Origin that is not a URL", headers: { origin: "%%%not a url%%%" } },
];

test.describe("origin and fetch-site checks on a server action", () => {
  for (const attempt of attempts) {
    test(`origin: ${attempt.name} is refused, and nothing is written`, async () => {
      const before = await snapshot([victim.id]);
      const reply = await rename(attempt.headers, { drop: attempt.drop });
      expect(refusalOf(reply)).not.toBe("ACCEPTED");
      expect(reply.status, reply.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(reply.status, reply.body.slice(0, 300)).toBeLessThan(500);
      if (attempt.status) expect(reply.status).toBe(attempt.status);
      expect(changedTables(before, await snapshot([victim.id]))).toEqual([]);
    });
  }

  test("origin: control — the same rename from the right origin goes through", async () => {
    const before = await snapshot([victim.id]);
    const reply = await rename({});
    expect(refusalOf(reply)).toBe("ACCEPTED");
    expect(changedTables(before, await snapshot([victim.id]))).toContain("users");
  });
});

test.describe("the one-click unsubscribe stays open to mail providers", () => {
  test("origin: POST /u/<token> cross-site and without cookies still unsubscribes (RFC 8058)", async () => {
    const reader = await createCustomer();
    await setConsent(reader.id, ["offers"]);
    const { url } = await unsubscribeLinkByMail(reader, "offers");
    const reply = await raw({
      method: "POST",
      path: new URL(url).pathname,
      headers: {
        origin: "https://mail.provider.example",
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "List-Unsubscribe=One-Click",
    });
    expect(reply.status).toBeLessThan(300);
    expect((await subscriptionsOf(reader.id)).offers?.status).toBe("withdrawn");
  });

  test("origin: POST /u/<token> with no Origin and no Sec-Fetch-Site still unsubscribes", async () => {
    const reader = await createCustomer();
    await setConsent(reader.id, ["offers"]);
    const { url } = await unsubscribeLinkByMail(reader, "offers");
    const reply = await raw({
      method: "POST",
      path: new URL(url).pathname,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(reply.status).toBeLessThan(300);
    expect((await subscriptionsOf(reader.id)).offers?.status).toBe("withdrawn");
  });
});

test.describe("protocol spoofing: plain HTTP never reaches an HTTPS-only action", () => {
  const spoofs: Record<string, string>[] = [
    { "x-forwarded-proto": "https", "x-forwarded-host": `localhost:${e2e.port}` },
    { forwarded: `proto=https;host="localhost:${e2e.port}"` },
    { "x-forwarded-ssl": "on", "x-forwarded-scheme": "https", "front-end-https": "on" },
    { "x-forwarded-proto": "https", "x-forwarded-port": String(e2e.port), "x-url-scheme": "https" },
  ];

  test("protocol: every action over the HTTP port, with each spoofing header, is redirected and writes nothing", async () => {
    // A customer of its own: the rename above gathers a profile mail that lands a few seconds later.
    const target = await createCustomer();
    const { cookie } = await sessionFor(target.id);
    const actions = manifestActions();
    const before = await snapshot([target.id]);
    const wrong: string[] = [];
    for (const action of actions) {
      for (const spoof of spoofs) {
        const reply = await callAction({
          id: action.id,
          page: action.page,
          plain: true,
          cookie,
          headers: spoof,
          input: { version: "1", firstName: "Plain", lastName: "Text", email: "plain@example.test" },
        });
        // Nothing of the app is served over plain HTTP: a 308 to HTTPS, with no body.
        if (reply.status !== 308 || reply.body !== "")
          wrong.push(`${action.file} ${action.exportedName} ${Object.keys(spoof)[0]}: ${reply.status}`);
        else if (!String(reply.headers.location).startsWith(`https://localhost:${e2e.port}/`))
          wrong.push(`${action.exportedName}: redirected to ${reply.headers.location}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(changedTables(before, await snapshot([target.id]))).toEqual([]);
  });
});
