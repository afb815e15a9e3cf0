import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, signIn } from "./support/auth";

test("sessions: the session cookie is Secure, HttpOnly and SameSite=Lax, and the remembered username only a username @smoke", async ({
  page,
  context,
}) => {
  await signIn(page, "demo", DEMO_PASSWORD, { remember: true });
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "__Secure-authjs.session-token");
  expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
  // The token is encrypted: nothing personal is readable in it.
  expect(session!.value).not.toContain("demo");
  const remembered = cookies.find((c) => c.name === "myaccount_remember_username");
  expect(remembered).toMatchObject({ value: "demo", secure: true, httpOnly: true, sameSite: "Lax" });
});

test("sessions: a tampered session cookie counts as signed out @smoke", async ({ page, context }) => {
  await signIn(page, "demo", DEMO_PASSWORD);
  const session = (await context.cookies()).find((c) => c.name === "__Secure-authjs.session-token")!;
  await context.addCookies([{ ...session, value: `${session.value.slice(0, -4)}AAAA` }]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
});
