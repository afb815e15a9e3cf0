/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a WASM Postgres and loads its files from its own package folder;
  // bundling it breaks those paths. argon2 is a native addon. pg is loaded lazily.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pg-copy-streams", "nodemailer"],
  poweredByHeader: false,
  // `*.bench.tsx` pages (app/bench-floor: the bench's floors, one of them a bare server action
  // without the door) are routes only in the bench's own build (bench/lib/build.ts sets the flag),
  // so what `npm run build` / `npm start` serve never contains them. The rest are Next's defaults.
  pageExtensions: [
    ...(process.env.MYACCOUNT_BENCH_BUILD === "1" ? ["bench.tsx", "bench.ts"] : []),
    "tsx",
    "ts",
    "jsx",
    "js",
  ],
  // Lets a second build live beside the first (e.g. a benchmark while tests run).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
    serverActions: {
      // The same number as ACTION_BODY_LIMIT in lib/http/body-limits.ts (a unit test holds them
      // equal): server.ts answers 413 at that size before Next, which would answer 500.
      bodySizeLimit: "128kb",
    },
  },
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
