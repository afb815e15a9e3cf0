/**
 * A `next=` target is followed only when it is a path on this site: it must start with a single
 * "/", and must not be "//host" or "/\host" (which browsers treat as another origin).
 */
export function safeNextPath(next: string | null | undefined, fallback = "/account"): string {
  if (!next || typeof next !== "string" || next.length > 512) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  try {
    const url = new URL(next, "https://myaccount.invalid");
    if (url.origin !== "https://myaccount.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
