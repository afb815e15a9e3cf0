import { expect, test, type Request } from "@playwright/test";
import { e2e } from "./support/config";
import { signIn } from "./support/auth";
import { auditActions, createCustomer, getUser } from "./support/users";

test("http: plain HTTP answers 308 to the same path on HTTPS @smoke", async ({ request }) => {
  const res = await request.get(`http://localhost:${e2e.httpPort}/account?from=http`, { maxRedirects: 0 });
  expect(res.status()).toBe(308);
  expect(res.headers()["location"]).toBe(`https://localhost:${e2e.port}/account?from=http`);
  // Nothing of the app is served over plain HTTP.
  expect(await res.text()).toBe("");
});

test("http: a password change over plain HTTP with a spoofed X-Forwarded-Proto is refused and nothing is written", async ({
  page,
  request,
}) => {
  const user = await createCustomer();
  await signIn(page, user.username, user.password);
  await page.goto("/account/security");

  // Capture the real server-action POST the change-password form makes, without letting it through.
  let captured: Request | undefined;
  await page.route("**/account/security", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      captured = req;
      await route.abort();
    } else {
      await route.continue();
    }
  });
  const newPassword = `${user.password}-over-http`;
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect.poll(() => captured).toBeDefined();
  const action = captured!;
  const body = action.postDataBuffer()!;
  const cookie = (await page.context().cookies())
    .filter((c) => c.name.includes("authjs.session-token"))
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  expect(cookie).not.toBe("");
  // What the browser sent (Next-Action, router state, multipart type), minus what the replay sets.
  const forwardedHeaders = Object.fromEntries(
    Object.entries(await action.allHeaders()).filter(([name]) => !/^(host|cookie|content-length|origin|referer)$/i.test(name)),
  );
  expect(forwardedHeaders["next-action"]).toMatch(/^[0-9a-f]{20,}$/);
  const before = await getUser(user.id);

  const replay = (origin: string) =>
    request.post(`${origin}/account/security`, {
      maxRedirects: 0,
      data: body,
      headers: {
        ...forwardedHeaders,
        Origin: `https://localhost:${e2e.port}`,
        Cookie: cookie,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": `localhost:${e2e.port}`,
      },
    });

  const overHttp = await replay(`http://localhost:${e2e.httpPort}`);
  expect(overHttp.status()).toBe(308);
  expect(overHttp.headers()["location"]).toBe(`https://localhost:${e2e.port}/account/security`);
  const after = await getUser(user.id);
  expect(after.password_hash).toBe(before.password_hash);
  expect(after.version).toBe(before.version);
  expect(await auditActions(user.id)).not.toContain("auth.password_changed");

  // Control: the very same request over HTTPS does change the password, so the refusal above was
  // the transport check and not a malformed replay.
  const overHttps = await replay(e2e.baseURL);
  expect(overHttps.status()).toBe(200);
  await expect.poll(async () => (await getUser(user.id)).password_hash).not.toBe(before.password_hash);
  expect(await auditActions(user.id)).toContain("auth.password_changed");
});
