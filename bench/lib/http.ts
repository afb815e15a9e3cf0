/**
 * The bench's HTTPS client for single requests (sign-ins, saves, sanity checks; autocannon has its
 * own, see load.ts) and the scraping of the no-JS forms it posts.
 */
import { randomBytes } from "node:crypto";
import https from "node:https";
import { USER_AGENT } from "./settings";

/** The server under test; run.ts sets it once the ports are chosen. */
export const target = { port: 0, origin: "" };

export function setTarget(port: number) {
  target.port = port;
  target.origin = originOf(port);
}

// The server's certificate is a throwaway self-signed one.
export const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: 64 });

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * Where a request goes when not to `target`: another instance's port, and the loopback address it
 * is sent from (127.0.0.0/8 is all loopback, so each simulated customer can have an address of
 * its own, as the app's per-address limits expect).
 */
export type Via = { port?: number; localAddress?: string };

/** The origin a browser on that instance's pages sends (the app checks it on every POST). */
export const originOf = (port: number) => `https://localhost:${port}`;

export function request(
  method: string,
  urlPath: string,
  headers: Record<string, string> = {},
  body?: Buffer,
  via: Via = {},
): Promise<Reply> {
  const port = via.port ?? target.port;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        localAddress: via.localAddress,
        servername: "localhost",
        method,
        path: urlPath,
        agent,
        headers: { host: `localhost:${port}`, "user-agent": USER_AGENT, ...headers },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
    req.on("error", reject);
    req.end(body);
  });
}

export const htmlDecode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The text of the page's first role="alert" element, if any. */
export function alertText(body: string): string | undefined {
  const m = body.match(/role="alert"[^>]*>([^<]+)</)?.[1];
  return m ? htmlDecode(m).trim() : undefined;
}

/**
 * The named inputs of the first `<form>` whose opening tag matches `tag` (any form when null):
 * React's hidden `$ACTION_*` fields of the progressive-enhancement form, and the form's own
 * fields with the values they were rendered with.
 */
export function scrapeForm(html: string, tag: RegExp | null, where: string): Record<string, string> {
  const forms = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((f) => !tag || tag.test(f.slice(0, f.indexOf(">") + 1)));
  if (!form) throw new Error(`no matching <form> on ${where}`);
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const name = input[0].match(/\bname="([^"]*)"/)?.[1];
    if (!name) continue;
    fields[htmlDecode(name)] = htmlDecode(input[0].match(/\bvalue="([^"]*)"/)?.[1] ?? "");
  }
  if (!Object.keys(fields).some((k) => k.startsWith("$ACTION_")))
    throw new Error(`no $ACTION_* fields in the form on ${where}`);
  return fields;
}

export const actionFieldsOf = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith("$ACTION")));

/** A no-JS form POST's body, as a browser sends it. */
export function multipart(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----myaccountbench${randomBytes(12).toString("hex")}`;
  let text = "";
  for (const [name, value] of Object.entries(fields)) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  text += `--${boundary}--\r\n`;
  return { body: Buffer.from(text, "utf8"), contentType: `multipart/form-data; boundary=${boundary}` };
}
