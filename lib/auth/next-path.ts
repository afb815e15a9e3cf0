import "server-only";
/**
 * A `next=` target is followed only when it is a path on this site. The check runs on the
 * normalised result, because "/.//evil.example" or "/a/..//evil.example" normalise to
 * "//evil.example", which browsers treat as another origin.
 */
export function safeNextPath(next: string | null | undefined, fallback = "/account"): string {
  if (!next || typeof next !== "string" || next.length > 512) return fallback;
  if (!next.startsWith("/") || /[\u0000-\u001f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, "https://myaccount.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "https://myaccount.invalid") return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
}
