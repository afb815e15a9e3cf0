import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration tests run against a real database: TEST_DB=pglite (in-memory PGlite per test file)
// or TEST_DB=postgres (a database of the run's own on the local server, dropped afterwards).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's server bundle the `server-only` marker would throw; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "db/**/*.test.ts", "eslint/**/*.test.ts"],
    globalSetup: ["lib/test/global-setup.ts"],
    setupFiles: ["lib/test/setup.ts"],
    pool: "forks",
    // On Postgres every file shares one database, and the mail tests drain the one shared outbox
    // into their own SMTP servers: run files one at a time there so no test takes another's mail.
    fileParallelism: process.env.TEST_DB !== "postgres",
    // next-auth imports "next/server" without an extension, which Node's ESM loader cannot resolve;
    // bundled by Vite it resolves (the role walk imports the sign-in actions, which use it).
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
