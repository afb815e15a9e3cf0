import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, test } from "vitest";

// The project's real ESLint config, without type information: the snippets below are not files
// of the TypeScript project, and the layer rules do not need types.
const root = path.resolve(import.meta.dirname, "..");
const typeAware = [
  "no-floating-promises",
  "no-misused-promises",
  "await-thenable",
  "no-unnecessary-type-assertion",
  "switch-exhaustiveness-check",
];
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: Object.fromEntries(typeAware.map((r) => [`@typescript-eslint/${r}`, "off"])),
    },
  });
});

/** The rule ids reported for `code` as if it were the file at `file` (relative to the project). */
async function findings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const layerFindings = async (file: string, code: string) =>
  (await findings(file, code)).filter((m) => /^(layers\/|no-restricted-imports|drizzle\/)/.test(m));

describe("lint: layers", () => {
  test("a client component importing db/client or lib/profile/update fails", async () => {
    const found = await layerFindings(
      "components/profile/LintProbe.tsx",
      `"use client";
import { db } from "@/db/client";
import { updateName } from "@/lib/profile/update";
export function Probe() {
  return <p>{String(Boolean(db) && Boolean(updateName))}</p>;
}
`,
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^layers\/no-server-import-in-client: '@\/db\/client' is the database layer/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^layers\/no-server-import-in-client: '@\/lib\/profile\/update' is server code/),
    );
    expect(found).toContainEqual(expect.stringMatching(/^no-restricted-imports: '@\/db\/client'/));
  });

  test("a client component may import client-safe modules and types from server modules", async () => {
    const found = await layerFindings(
      "components/profile/LintProbe.tsx",
      `"use client";
import type { AddressValues } from "@/lib/profile/queries";
import { nameSchema } from "@/lib/profile/schema";
import { messages } from "@/lib/messages";
export function Probe(props: { address: AddressValues }) {
  return <p>{String(Boolean(nameSchema) && messages.invalidInput && props.address.serviceCity)}</p>;
}
`,
    );
    expect(found).toEqual([]);
  });

  test("a server component may use lib/ but not db/ or app/", async () => {
    const code = (source: string) => `import { x } from "${source}";\nexport const probe = x;\n`;
    expect(await layerFindings("components/layout/LintProbe.tsx", code("@/lib/profile/update"))).toEqual([]);
    expect(await layerFindings("components/layout/LintProbe.tsx", code("@/app/account/profile/actions"))).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*components\/ may not import app\/ or db\//),
    ]);
    expect(await layerFindings("app/account/LintProbe.tsx", code("@/db/client"))).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*app\/ reaches the database through lib\//),
    ]);
    expect(await layerFindings("lib/profile/lint-probe.ts", code("@/components/ui/Field"))).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*lib\/ is below app\/ and components\//),
    ]);
  });

  test("db/ may import lib/env and nothing else of ours", async () => {
    const code = (source: string) => `import { x } from "${source}";\nexport const probe = x;\n`;
    expect(await layerFindings("db/lint-probe.ts", code("@/lib/env"))).toEqual([]);
    expect(await layerFindings("db/lint-probe.ts", code("@/lib/auth/sessions"))).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*db\/ depends on nothing above it/),
    ]);
    expect(await layerFindings("db/lint-probe.ts", code("../lib/mail/worker"))).toHaveLength(1);
  });

  test("an update or delete without where is an error", async () => {
    const found = await layerFindings(
      "lib/profile/lint-probe.ts",
      `import { db } from "@/db/client";
import { users } from "@/db/schema";
export async function wipe() {
  await db.delete(users);
  await db.update(users).set({ firstName: "x" });
}
`,
    );
    expect(found).toEqual([
      expect.stringMatching(/^drizzle\/enforce-delete-with-where/),
      expect.stringMatching(/^drizzle\/enforce-update-with-where/),
    ]);
  });
});
