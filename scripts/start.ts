/**
 * `npm start`: builds when there is no production build yet, then runs server.ts in this same
 * process (so the pid you hold is the server's own, and SIGTERM reaches it).
 * Rebuild after changing code with `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `next build` (once; takes a minute)…");
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The demo on an empty embedded database gets a few hundred synthetic customers with 90 days of
// history (lib/demo/seed-customers.ts), so the console has people to find and charts to show.
// server.ts run on its own (the e2e server, `npm run serve`, `npm run dev`) seeds none: the e2e
// specs count what they made themselves. This import reads no environment and opens no database.
const { DEMO_SYNTHETIC_CUSTOMERS, demoSeedSettings } = await import("../lib/demo/seed-customers.ts");
demoSeedSettings.syntheticCustomers = DEMO_SYNTHETIC_CUSTOMERS;
await import("../server.ts");
