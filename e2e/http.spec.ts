import { expect, test } from "@playwright/test";
import { e2e } from "./support/config";
import { signIn } from "./support/auth";
import { captureActionForReplay } from "./support/replay";
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

  const newPassword = `${user.password}-over-http`;
  const replay = await captureActionForReplay(page, request, "/account/security", async () => {
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
  });
  const before = await getUser(user.id);

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
