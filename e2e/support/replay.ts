import { expect, type APIRequestContext, type Page, type Request } from "@playwright/test";
import { e2e } from "./config";

/**
 * Captures the server-action POST a page makes to `path` (aborting it, so it never lands) while
 * `submit` runs, and returns a function that replays exactly that request — same body, Next-Action
 * and session cookie, plus spoofed X-Forwarded-Proto/Host — against another origin. Used to prove
 * a change over plain HTTP is refused while the very same request over HTTPS goes through.
 */
export async function captureActionForReplay(
  page: Page,
  request: APIRequestContext,
  path: string,
  submit: () => Promise<void>,
) {
  let captured: Request | undefined;
  await page.route(`**${path}`, async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"] && new URL(req.url()).pathname === path) {
      captured = req;
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await submit();
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
    Object.entries(await action.allHeaders()).filter(
      ([name]) => !/^(host|cookie|content-length|origin|referer)$/i.test(name),
    ),
  );
  expect(forwardedHeaders["next-action"]).toMatch(/^[0-9a-f]{20,}$/);
  return (origin: string) =>
    request.post(`${origin}${path}`, {
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
}
