/**
 * Layer rules that a path pattern alone cannot express.
 *
 * `no-server-import-in-client`: a file that starts with "use client" is shipped to the browser,
 * so it may not import (other than `import type`) a module that is marked `import "server-only"`,
 * anything in `db/`, or a Node built-in. Next would refuse the build for a server-only module, but
 * only for the page that pulls it in and only at build time; this says so in the editor, on the
 * import line. The imported file is resolved the way tsconfig's `@/*` path and relative imports are.
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const extensions = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"];
const serverOnlyCache = new Map();

function resolveLocal(source, fromFile) {
  let base;
  if (source.startsWith("@/")) base = path.join(root, source.slice(2));
  else if (source.startsWith(".")) base = path.resolve(path.dirname(fromFile), source);
  else return undefined;
  for (const ext of extensions) {
    const candidate = base + ext;
    if (existsSync(candidate) && !candidate.endsWith("/")) {
      try {
        readFileSync(candidate);
        return candidate;
      } catch {
        // a folder; try the next extension
      }
    }
  }
  return undefined;
}

function isServerOnly(file) {
  if (!serverOnlyCache.has(file)) {
    serverOnlyCache.set(file, /^import\s+["']server-only["'];?\s*$/m.test(readFileSync(file, "utf8")));
  }
  return serverOnlyCache.get(file);
}

const builtins = new Set(builtinModules);

const noServerImportInClient = {
  meta: {
    type: "problem",
    docs: { description: "Client components may not import server code" },
    schema: [],
    messages: {
      serverOnly:
        "'{{source}}' is server code (it imports \"server-only\") and this is a client component. Move what the browser needs into a client-safe module (a schema, a message table or a type), or call it through a server action.",
      db: "'{{source}}' is the database layer and this is a client component. Read data in a server component or a lib/ function and pass the result as props.",
      builtin: "'{{source}}' is a Node built-in and this is a client component; it does not exist in the browser.",
    },
  },
  create(context) {
    const isClient = context.sourceCode.ast.body.some(
      (node) => node.type === "ExpressionStatement" && node.directive === "use client",
    );
    if (!isClient) return {};
    const check = (node) => {
      if (!node.source || node.importKind === "type" || node.exportKind === "type") return;
      const source = node.source.value;
      if (typeof source !== "string") return;
      if (source === "server-only" || source.startsWith("@/db/") || source === "@/db") {
        context.report({ node, messageId: source === "server-only" ? "serverOnly" : "db", data: { source } });
        return;
      }
      if (source.startsWith("node:") || builtins.has(source)) {
        context.report({ node, messageId: "builtin", data: { source } });
        return;
      }
      const file = resolveLocal(source, context.filename);
      if (!file) return;
      if (path.relative(root, file).startsWith("db" + path.sep)) {
        context.report({ node, messageId: "db", data: { source } });
      } else if (isServerOnly(file)) {
        context.report({ node, messageId: "serverOnly", data: { source } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

const layers = { rules: { "no-server-import-in-client": noServerImportInClient } };

export default layers;
