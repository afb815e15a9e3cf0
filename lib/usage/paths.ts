import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * Page views are counted per route, never per raw URL: a path is counted only when it matches a
 * page that exists in app/, and ids become their pattern (/console/chats/closed/123 →
 * /console/chats/closed/[id]). Random URLs, query strings and ids therefore add no rows; the
 * number of distinct paths is at most the number of pages.
 */
export type RoutePattern = { pattern: string; segments: string[] };

const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx)$/;

/** Every page route under an app/ directory, read from the files (works in dev and in a build). */
export function routePatterns(appDir: string): RoutePattern[] {
  const out: RoutePattern[] = [];
  const walk = (dir: string, segments: string[]) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && PAGE_FILE.test(e.name)) {
        out.push({ pattern: `/${segments.join("/")}`, segments });
      } else if (e.isDirectory()) {
        // Private folders, parallel-route slots and API routes are not pages of their own.
        if (e.name.startsWith("_") || e.name.startsWith("@") || (segments.length === 0 && e.name === "api")) continue;
        // Route groups "(name)" add no segment to the URL.
        const next = /^\(.*\)$/.test(e.name) ? segments : [...segments, e.name];
        walk(path.join(dir, e.name), next);
      }
    }
  };
  walk(appDir, []);
  return out;
}

let appRoutes: RoutePattern[] | undefined;

/** This app's page routes, read once per process from ./app (the server runs from the project folder). */
export function appRoutePatterns(): RoutePattern[] {
  appRoutes ??= routePatterns(path.resolve("app"));
  return appRoutes;
}

type Kind = 0 | 1 | 2 | 3; // static, [param], [...rest], [[...optional]]
const kindOf = (segment: string): Kind =>
  segment.startsWith("[[...") ? 3 : segment.startsWith("[...") ? 2 : segment.startsWith("[") ? 1 : 0;

/** How well `pattern` matches `parts`: a list of segment kinds (lower is more specific), or null. */
function matchScore(segments: string[], parts: string[]): Kind[] | null {
  const score: Kind[] = [];
  for (let i = 0; i < segments.length; i++) {
    const kind = kindOf(segments[i]);
    if (kind >= 2) {
      const rest = parts.length - i;
      if (kind === 2 && rest < 1) return null;
      score.push(kind);
      return score;
    }
    if (i >= parts.length) return null;
    if (kind === 0 && segments[i] !== parts[i]) return null;
    score.push(kind);
  }
  return segments.length === parts.length ? score : null;
}

function moreSpecific(a: Kind[], b: Kind[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i];
  return a.length > b.length;
}

const MAX_PATH_LENGTH = 512;

/** The route pattern a request path belongs to, or null when no page matches (not counted). */
export function normalisePath(rawPath: string, patterns: readonly RoutePattern[]): string | null {
  const pathname = rawPath.split(/[?#]/, 1)[0];
  if (!pathname.startsWith("/") || pathname.length > MAX_PATH_LENGTH) return null;
  let parts: string[];
  try {
    parts = pathname
      .split("/")
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  let best: { pattern: string; score: Kind[] } | null = null;
  for (const p of patterns) {
    const score = matchScore(p.segments, parts);
    if (score && (!best || moreSpecific(score, best.score))) best = { pattern: p.pattern, score };
  }
  return best?.pattern ?? null;
}
