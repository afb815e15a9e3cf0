import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { expect, test } from "@playwright/test";
import { ACTION_BODY_LIMIT, ROUTE_BODY_LIMITS } from "@/lib/http/body-limits";
import { appServerEnv } from "../support/app-server";
import { e2e } from "../support/config";
import { setConsent, subscriptionsOf, unsubscribeLinkByMail } from "../support/preferences";
import { createCustomer } from "../support/users";
import { actionId, browserHeaders, changedTables, raw, sessionFor, snapshot } from "./support";

/*
 * Bodies too big and bodies too slow. Every route handler that takes a body answers 413 beyond its
 * own limit (lib/http/body-limits.ts), declared or streamed chunk by chunk; a server action beyond
 * the action limit the same; the one-click unsubscribe beyond ~1 KB too, and unsubscribes nobody.
 * A client that sends its headers or body too slowly is answered 408 (or cut off) within the
 * configured timeouts (e2e/support/app-server.ts sets them short), while others are served.
 */

test.skip(e2e.db !== "postgres", "checks the run's Postgres database directly");

// What the run's server was started with (the same function builds its environment).
const serverEnv = appServerEnv({ port: e2e.port, httpPort: e2e.httpPort, dataDir: e2e.dataDir, databaseUrl: "" });
const HEADERS_TIMEOUT_MS = Number(serverEnv.HTTP_HEADERS_TIMEOUT_MS ?? 10_000);
const REQUEST_TIMEOUT_MS = Number(serverEnv.HTTP_REQUEST_TIMEOUT_MS ?? 30_000);

const appDir = path.resolve(import.meta.dirname, "..", "..", "app");
function routePatterns(dir = appDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "bench-floor" ? [] : routePatterns(full);
    return name === "route.ts" ? [`/${path.relative(appDir, dir).split(path.sep).join("/")}`] : [];
  });
}

type Answer = { status: number; ms: number; closed: boolean; head: string };

/**
 * Writes `head` and then `chunks` (each after `gapMs`) on a raw TLS socket, and reads what comes
 * back: the status line, or that the server closed the connection without one.
 */
function slowRequest(head: string, chunks: Buffer[] = [], gapMs = 0, waitMs = 20_000): Promise<Answer> {
  return new Promise((resolve) => {
    const started = performance.now();
    let received = "";
    let done = false;
    const socket = tls.connect({
      host: "127.0.0.1",
      port: e2e.port,
      servername: "localhost",
      rejectUnauthorized: false,
    });
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      const status = Number(received.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      resolve({ status, ms: performance.now() - started, closed, head: received.slice(0, 200) });
      socket.destroy();
    };
    const giveUp = setTimeout(() => finish(false), waitMs);
    socket.on("data", (d) => {
      received += d.toString("latin1");
      if (/^HTTP\/1\.1 \d{3}/.test(received) && received.includes("\r\n\r\n")) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    const send = async () => {
      socket.write(head);
      for (const chunk of chunks) {
        if (done || socket.destroyed) return;
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
        if (!socket.destroyed) socket.write(chunk);
      }
    };
    socket.once("secureConnect", () => void send());
  });
}

function chunkedPost(urlPath: string, totalBytes: number, headers: Record<string, string>): Promise<Answer> {
  const head =
    `POST ${urlPath} HTTP/1.1\r\nHost: localhost:${e2e.port}\r\nTransfer-Encoding: chunked\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("") +
    "\r\n";
  const piece = 8 * 1024;
  const chunks: Buffer[] = [];
  for (let sent = 0; sent < totalBytes; sent += piece) {
    chunks.push(
      Buffer.concat([Buffer.from(`${piece.toString(16)}\r\n`), Buffer.alloc(piece, 0x61), Buffer.from("\r\n")]),
    );
  }
  chunks.push(Buffer.from("0\r\n\r\n"));
  return slowRequest(head, chunks, 0);
}

test.describe("oversized bodies", () => {
  test("bodies: every route handler with a body limit answers 413 beyond it, declared or streamed", async () => {
    const customer = await createCustomer();
    const { cookie } = await sessionFor(customer.id);
    const before = await snapshot([customer.id]);
    const wrong: string[] = [];
    const patterns = routePatterns();
    expect(patterns.length).toBeGreaterThan(10);
    for (const pattern of patterns) {
      const limit = ROUTE_BODY_LIMITS[pattern];
      if (limit === undefined) {
        wrong.push(`${pattern}: no body limit`);
        continue;
      }
      const urlPath = pattern.replace("[token]", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      const size = Math.max(limit, 1) * 4 + 1024;
      const headers = { ...browserHeaders(), "content-type": "application/json", cookie };
      const declared = await raw({ method: "POST", path: urlPath, headers, body: Buffer.alloc(size, 0x61) }).catch(
        (err: Error) => ({ status: 0, body: err.message }),
      );
      // A route that takes no body at all (GET only) may refuse the method instead: nothing is read.
      const refused = limit === 0 ? [405, 413] : [413];
      if (!refused.includes(declared.status)) wrong.push(`${pattern} (${size} B declared): ${declared.status}`);
      const streamed = await chunkedPost(urlPath, size, headers);
      if (!refused.includes(streamed.status) && !(streamed.closed && streamed.status === 0))
        wrong.push(`${pattern} (${size} B chunked): ${streamed.status} ${streamed.head.slice(0, 40)}`);
    }
    expect(wrong).toEqual([]);
    expect(changedTables(before, await snapshot([customer.id]))).toEqual([]);
  });

  test("bodies: a server action beyond the action limit answers 413 and writes nothing", async () => {
    const customer = await createCustomer();
    const { cookie } = await sessionFor(customer.id);
    const before = await snapshot([customer.id]);
    const big = "a".repeat(ACTION_BODY_LIMIT + 1024);
    const body = JSON.stringify([null, { version: "1", firstName: big, lastName: "Big" }]);
    const headers = {
      ...browserHeaders(),
      "next-action": actionId("app/account/profile/actions.ts", "updateNameAction"),
      "content-type": "text/plain;charset=UTF-8",
      cookie,
    };
    const declared = await raw({ method: "POST", path: "/account/profile", headers, body });
    expect(declared.status).toBe(413);
    const streamed = await chunkedPost("/account/profile", ACTION_BODY_LIMIT * 2, headers);
    expect(streamed.status === 413 || streamed.closed).toBe(true);
    expect(changedTables(before, await snapshot([customer.id]))).toEqual([]);
  });

  test("bodies: the one-click unsubscribe over ~1 KB answers 413 and unsubscribes nobody", async () => {
    const reader = await createCustomer();
    await setConsent(reader.id, ["offers"]);
    const { url } = await unsubscribeLinkByMail(reader, "offers");
    const before = await snapshot([reader.id]);
    const body = `List-Unsubscribe=One-Click&pad=${"x".repeat(2048)}`;
    const res = await raw({
      method: "POST",
      path: new URL(url).pathname,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(res.status).toBe(413);
    const streamed = await chunkedPost(new URL(url).pathname, 64 * 1024, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(streamed.status === 413 || streamed.closed).toBe(true);
    expect((await subscriptionsOf(reader.id)).offers?.status).toBe("granted");
    expect(changedTables(before, await snapshot([reader.id]))).toEqual([]);
  });
});

test.describe("slow clients", () => {
  test("bodies: headers that never finish are answered 408 (or cut) within the headers timeout, and others are served meanwhile", async () => {
    const slow = slowRequest(`GET /login HTTP/1.1\r\nHost: localhost:${e2e.port}\r\nX-Slow: 1\r\n`, [], 0);
    // Another visitor, while the slow one holds its connection.
    const other = await raw({ path: "/api/health" });
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(2000);
    const answer = await slow;
    console.log(`[hostile] slow headers: ${JSON.stringify(answer)}`);
    expect(answer.status === 408 || answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(HEADERS_TIMEOUT_MS + 3000);
  });

  test("bodies: a body that trickles in is answered 408 (or cut) within the request timeout, and writes nothing", async () => {
    const customer = await createCustomer();
    const { cookie } = await sessionFor(customer.id);
    const before = await snapshot([customer.id]);
    const body = JSON.stringify({ conversationId: 1, body: "x".repeat(400) });
    const head =
      `POST /api/chat/send HTTP/1.1\r\nHost: localhost:${e2e.port}\r\nContent-Type: application/json\r\n` +
      `Origin: ${e2e.baseURL}\r\nSec-Fetch-Site: same-origin\r\nCookie: ${cookie}\r\nContent-Length: ${body.length}\r\n\r\n`;
    // One byte every 500 ms: the whole body would take minutes.
    const chunks = [...body].map((c) => Buffer.from(c));
    const slow = slowRequest(head, chunks, 500, REQUEST_TIMEOUT_MS + 15_000);
    const other = await raw({ path: "/login" });
    expect(other.status).toBe(200);
    const answer = await slow;
    console.log(`[hostile] slow body: ${JSON.stringify(answer)}`);
    expect(answer.status === 408 || answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
    expect(changedTables(before, await snapshot([customer.id]))).toEqual([]);
  });

  test("bodies: many slow connections at once do not keep others out", async () => {
    const slow = Array.from({ length: 50 }, () =>
      slowRequest(
        `POST /api/chat/send HTTP/1.1\r\nHost: localhost:${e2e.port}\r\nContent-Type: application/json\r\n` +
          `Origin: ${e2e.baseURL}\r\nSec-Fetch-Site: same-origin\r\nContent-Length: 1000\r\n\r\n`,
        [],
        0,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const other = await raw({ path: "/login" });
    expect(other.status).toBe(200);
    // Served while they still hang: not queued behind them until the request timeout cuts them.
    expect(performance.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
    const answers = await Promise.all(slow);
    const statuses = answers.map((a) => (a.status ? a.status : a.closed ? "closed" : "open"));
    const counts: Record<string, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    console.log(`[hostile] 50 slow bodies: ${JSON.stringify(counts)}`);
    // Each waited for its body and was then answered 408 or cut off; none is left open.
    expect(statuses.filter((s) => s !== 408 && s !== "closed")).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });
});
