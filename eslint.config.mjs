// ESLint (flat config). `npm run lint` runs it; `npm test` and CI fail on any finding.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

import layers from "./eslint/layers.mjs";

// What each layer may not import. app/ and components/ reach the database only through lib/;
// components/ never reach into app/; lib/ never reaches up; db/ depends on nothing of ours.
const fromAbove = (...dirs) => dirs.flatMap((d) => [`@/${d}`, `@/${d}/*`, `**/${d}/*`]);
const restrict = (message, ...dirs) => ({
  "no-restricted-imports": ["error", { patterns: [{ group: fromAbove(...dirs), message }] }],
});

export default defineConfig([
  globalIgnores([
    ".next/**",
    ".next-*/**",
    ".data/**",
    ".test-data/**",
    "drizzle/**",
    "test-results/**",
    "playwright-report/**",
    "node_modules/**",
    ".ci/node24/**",
    "next-env.d.ts",
  ]),
  ...nextVitals,
  ...nextTs,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { drizzle, layers },
    rules: {
      // A forgotten `where` rewrites or deletes every row.
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle"] }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle"] }],
      "layers/no-server-import-in-client": "error",
      // Type-checked rules that catch real bugs in async server code; the rest of the
      // type-checked set mostly restates what strict tsc already says.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["components/**"],
    rules: restrict("components/ may not import app/ or db/: take data as props, or call lib/.", "app", "db"),
  },
  {
    files: ["app/**"],
    rules: restrict("app/ reaches the database through lib/, never db/ directly.", "db"),
  },
  {
    files: ["lib/**"],
    rules: restrict("lib/ is below app/ and components/ and may not import them.", "app", "components"),
  },
  {
    // lib/env.ts is the one exception: it imports nothing of ours and sits below db/ (the pool
    // size and timeouts are configuration like any other).
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)(lib/(?!env$)|app/|components/)",
              message: "db/ depends on nothing above it (lib/, app/, components/); only lib/env is below it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/env.ts"],
    rules: restrict("lib/env.ts is the bottom layer and imports nothing of ours.", "lib", "db", "app", "components"),
  },
  {
    // Plain JS config files are not part of the TypeScript project.
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
]);
