/**
 * The bench's own production build, in DIST_DIR (default .next-bench), so its rebuilds never pull
 * .next from under a running `npm start`, dev server or e2e run. Only this build has the floor
 * pages: next.config.mjs adds the `*.bench.tsx` page extension when MYACCOUNT_BENCH_BUILD=1.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { log } from "./log";
import { BUILD, DIST_DIR } from "./settings";

/** The env every `next build` and the server get: the same build folder, with the bench pages. */
export const buildEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NEXT_DIST_DIR: DIST_DIR,
  MYACCOUNT_BENCH_BUILD: "1",
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
});

/**
 * Runs `next build` when DIST_DIR has no build, lacks the bench pages (e.g. a plain `next build`
 * into the same folder), or is older than a source file; BENCH_BUILD=1 forces a fresh one,
 * BENCH_BUILD=0 keeps a stale one.
 */
export function ensureBuild() {
  const inBuild = (p: string) => existsSync(path.join(DIST_DIR, p));
  const complete =
    inBuild("BUILD_ID") &&
    inBuild("server/app/bench-floor/page.js") &&
    inBuild("server/app/bench-floor/action/page.js") &&
    inBuild("diagnostics/route-bundle-stats.json");
  const stale = complete ? newerSource() : undefined;
  const force = BUILD === "1";
  if (complete && !force && (!stale || BUILD === "0")) return;
  log(
    force
      ? `BENCH_BUILD=1: running \`next build\` into ${DIST_DIR}…`
      : stale
        ? `${stale} is newer than the build in ${DIST_DIR}: running \`next build\` (BENCH_BUILD=0 keeps the old build)…`
        : inBuild("BUILD_ID")
          ? `the build in ${DIST_DIR} lacks the bench pages or its diagnostics: running \`next build\`…`
          : `no production build in ${DIST_DIR}: running \`next build\`…`,
  );
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: buildEnv() });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
}

/** The newest source file the build is made from, when it is newer than the build. */
export function newerSource(): string | undefined {
  let built: number;
  try {
    built = statSync(path.join(DIST_DIR, "BUILD_ID")).mtimeMs;
  } catch {
    return undefined;
  }
  let newest: { file: string; at: number } | undefined;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(tsx?|css|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        const at = statSync(file).mtimeMs;
        if (at > built && (!newest || at > newest.at)) newest = { file, at };
      }
    }
  };
  for (const dir of ["app", "components", "lib", "db"]) if (existsSync(dir)) walk(dir);
  for (const file of ["proxy.ts", "next.config.mjs"])
    if (existsSync(file) && statSync(file).mtimeMs > built && (!newest || statSync(file).mtimeMs > newest.at))
      newest = { file, at: statSync(file).mtimeMs };
  return newest?.file;
}

export function readBuildId(): string | undefined {
  try {
    return readFileSync(path.join(DIST_DIR, "BUILD_ID"), "utf8").trim();
  } catch {
    return undefined;
  }
}
