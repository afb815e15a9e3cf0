/**
 * Calling a server action the way the browser's JavaScript does (React's `callServer`): a POST to
 * the page with the action's id in `Next-Action` and the arguments as JSON, answered in React's
 * flight format. For the flows that have no no-JS form (passkeys need JavaScript). The ids are
 * read from the build's server-reference-manifest.json, by file and export name.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { request, target, type Reply } from "./http";
import { DIST_DIR } from "./settings";
import { flightRow } from "../../lib/test/flight";

type Manifest = { node: Record<string, { filename?: string; exportedName?: string }> };
let manifest: Manifest | undefined;

function actionId(file: string, exportedName: string): string {
  manifest ??= JSON.parse(
    readFileSync(path.join(DIST_DIR, "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.filename === file && v.exportedName === exportedName,
  )?.[0];
  if (!found) throw new Error(`no server action ${file} → ${exportedName} in ${DIST_DIR}'s manifest`);
  return found;
}

export type ActionReply = {
  reply: Reply;
  /** The action's return value (row 1 of the flight answer), when it returned one. */
  value: unknown;
  /** Where Next was told to go (a `redirect()` inside the action), if anywhere. */
  redirect: string | null;
  /** Session cookies the answer set ("name=value" pairs), as sign-in.ts collects them. */
  setCookies: string[];
};

/**
 * Calls `exportedName` of `file` as the page at `pagePath` would, with `(null, input)` — the
 * (previous state, input) shape every action here takes.
 */
export async function callAction(
  pagePath: string,
  file: string,
  exportedName: string,
  input: Record<string, string>,
  cookie = "",
): Promise<ActionReply> {
  const reply = await request(
    "POST",
    pagePath,
    {
      "next-action": actionId(file, exportedName),
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: target.origin,
      ...(cookie ? { cookie } : {}),
    },
    Buffer.from(JSON.stringify([null, input])),
  );
  const value = flightRow(Buffer.from(reply.body, "utf8"), "1");
  const location = reply.headers["x-action-redirect"];
  const setCookies = ([] as string[])
    .concat(reply.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .filter((c) => !c.endsWith("="));
  return {
    reply,
    value,
    redirect: typeof location === "string" ? location.split(";")[0] : null,
    setCookies,
  };
}
