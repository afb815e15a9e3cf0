/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a WASM Postgres and loads its files from its own package folder;
  // bundling it breaks those paths. argon2 is a native addon. pg is loaded lazily.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pg-copy-streams", "nodemailer"],
  poweredByHeader: false,
  // Lets a second build live beside the first (e.g. a benchmark while tests run).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
