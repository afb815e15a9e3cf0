/**
 * Part 3's JS figure: the first-load JS of a route, gzip -9 per chunk, from the build's
 * diagnostics/route-bundle-stats.json, split into what every route shares and the route's own.
 */
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { DIST_DIR } from "../lib/settings";

export type FirstLoad = {
  route: string;
  totalGz: number;
  sharedGz: number;
  ownGz: number;
  own: { file: string; gz: number }[];
  routes: number;
};

export function firstLoadJs(route: string): FirstLoad {
  const statsFile = path.join(DIST_DIR, "diagnostics", "route-bundle-stats.json");
  const stats = JSON.parse(readFileSync(statsFile, "utf8")) as { route: string; firstLoadChunkPaths: string[] }[];
  const entry = stats.find((r) => r.route === route);
  if (!entry) throw new Error(`${route} is not in ${statsFile}`);
  const gzCache = new Map<string, number>();
  const gz = (chunk: string) => {
    let size = gzCache.get(chunk);
    if (size === undefined) {
      // Paths are written relative to the project, starting with the build folder's name.
      const direct = path.resolve(chunk);
      const file = existsSync(direct) ? direct : path.resolve(DIST_DIR, chunk.split("/").slice(1).join("/"));
      size = gzipSync(readFileSync(file), { level: 9 }).length;
      gzCache.set(chunk, size);
    }
    return size;
  };
  // The framework's share: the chunks every route loads.
  const shared = new Set(
    entry.firstLoadChunkPaths.filter((c) => stats.every((r) => r.firstLoadChunkPaths.includes(c))),
  );
  const totalGz = entry.firstLoadChunkPaths.reduce((a, c) => a + gz(c), 0);
  const sharedGz = [...shared].reduce((a, c) => a + gz(c), 0);
  const own = entry.firstLoadChunkPaths
    .filter((c) => !shared.has(c))
    .map((c) => ({ file: path.basename(c), gz: gz(c) }))
    .sort((a, b) => b.gz - a.gz);
  return { route, totalGz, sharedGz, ownGz: totalGz - sharedGz, own, routes: stats.length };
}
