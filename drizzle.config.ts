import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from db/schema.ts; migrations are applied by db/migrate.ts
// on both drivers (PGlite and pg), so no credentials are needed here.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./drizzle",
});
