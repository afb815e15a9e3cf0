import { execFile } from "node:child_process";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { e2e } from "./support/config";

/**
 * The limits server.ts sets before Next.js sees a request (README "Limits at the edge"), checked
 * over real sockets: Playwright's request API adds headers and buffers bodies, which would hide
 * exactly what these cases are about.
 */

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

/** One raw HTTPS request; `body` may be a function that writes a streamed body itself. */
function send(
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
  body?: string | Buffer | ((req: http.ClientRequest) => void),
): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: e2e.port,
        servername: "localhost",
        rejectUnauthorized: false,
        method,
        path,
        // The name a browser uses, which its Origin names too.
        headers: { Host: `localhost:${e2e.port}`, ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: Date.now() - started }),
        );
      },
    );
    // The server may close while a refused body is still being written: the reply is what counts.
    req.on("error", (err) => (req.writableEnded ? undefined : reject(err)));
    if (typeof body === "function") body(req);
    else req.end(body);
  });
}

const site = { Origin: `https://localhost:${e2e.port}`, "Sec-Fetch-Site": "same-origin" };
const actionId = "7f" + "0".repeat(40);

test.describe("edge: body limits", () => {
  test("edge: a 50 MB one-click unsubscribe POST is answered 413 without being read @smoke", async () => {
    const res = await send(
      "POST",
      "/u/some.token",
      {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": 50 * 1024 * 1024,
      },
      (req) => req.write("List-Unsubscribe=One-Click&"),
    );
    expect(res.status).toBe(413);
  });

  test("edge: a chunked unsubscribe body is cut off with 413 as soon as it passes 1 KB", async () => {
    let written = 0;
    const outcome = await send(
      "POST",
      "/u/some.token",
      { "Content-Type": "application/x-www-form-urlencoded" },
      (req) => {
        const chunk = Buffer.alloc(16 * 1024, 97);
        const pump = () => {
          // Up to 8 MB; the answer must come long before that is sent.
          while (written < 512 && !req.destroyed) {
            written++;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      },
    ).then(
      (res) => String(res.status),
      // The server answers 413 and closes; a client still writing may see the close (EPIPE or a
      // reset) before it reads that answer. Either way the body was cut off: `written` says early.
      (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? "cut off" : String(err)),
    );
    expect(["413", "cut off"]).toContain(outcome);
    expect(written).toBeLessThan(512);
  });

  test("edge: a GET-only export refuses any body; the one-click POST within 1 KB still reaches the route", async () => {
    expect((await send("POST", "/console/marketing/export", { "Content-Length": 10 }, "0123456789")).status).toBe(413);
    const small = await send(
      "POST",
      "/u/not-a-token",
      { "Content-Type": "application/x-www-form-urlencoded" },
      "List-Unsubscribe=One-Click",
    );
    // The route answered (a bad link), not the edge: no Origin and no Sec-Fetch-Site needed.
    expect(small.status).toBe(400);
    expect(small.headers["content-type"]).toMatch(/text\/html/);
  });

  test("edge: a server action over 128 KB is answered 413, not Next's 500", async () => {
    const big = "x".repeat(200 * 1024);
    const res = await send(
      "POST",
      "/login",
      { ...site, "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8" },
      big,
    );
    expect(res.status).toBe(413);
  });
});

test.describe("edge: slow clients", () => {
  /** Raw TLS: `first`, then one byte every 250 ms until the server answers or closes. */
  function dribble(first: string): Promise<{ reply: string; ms: number }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = tls.connect(
        { host: "127.0.0.1", port: e2e.port, servername: "localhost", rejectUnauthorized: false },
        () => {
          socket.write(first);
          // Only once the handshake is done: a byte queued earlier would go before the request line.
          timer = setInterval(() => socket.writable && socket.write("a"), 250);
        },
      );
      let timer: NodeJS.Timeout | undefined;
      let reply = "";
      socket.on("data", (d) => (reply += d));
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(timer);
        resolve({ reply, ms: Date.now() - started });
      });
    });
  }

  test("edge: dribbled headers get 408 within the headers timeout (3 s here) and others are unaffected", async () => {
    const warm = await send("GET", "/login");
    expect(warm.status).toBe(200);
    const slow = Array.from({ length: 20 }, () => dribble("GET /login HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
    await new Promise((r) => setTimeout(r, 1000));
    const meanwhile = await send("GET", "/login");
    expect(meanwhile.status).toBe(200);
    console.log(`[edge] /login alone: ${warm.ms} ms; while 20 clients dribble headers: ${meanwhile.ms} ms`);
    for (const { reply, ms } of await Promise.all(slow)) {
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(3000 + 1000 + 1000);
    }
  });

  test("edge: a dribbled body gets 408 within the request timeout (5 s here)", async () => {
    const head = `POST /u/some.token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`;
    const { reply, ms } = await dribble(head);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5000 + 1000 + 1000);
  });

  test("edge: a chat stream open longer than the request timeout keeps receiving heartbeats", async () => {
    test.setTimeout(40_000);
    const received = await new Promise<string>((resolve, reject) => {
      const req = https.get(
        {
          host: "127.0.0.1",
          port: e2e.port,
          servername: "localhost",
          rejectUnauthorized: false,
          path: "/api/chat/stream",
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => {
            text += d;
            if (text.includes(": heartbeat")) {
              req.destroy();
              resolve(text);
            }
          });
          res.on("end", () => reject(new Error(`stream ended: ${text}`)));
        },
      );
      req.on("error", reject);
    });
    // The first heartbeat comes after 15 s: three times the request timeout of this server.
    expect(received).toContain(": heartbeat");
  });
});

test.describe("edge: redirect, TLS, malformed requests", () => {
  test("edge: the HTTP port redirects to the configured host, never to the request's Host @smoke", async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(
          { host: "127.0.0.1", port: e2e.httpPort, path: "/account?x=1", headers: { Host: "evil.example" } },
          resolve,
        )
        .on("error", reject),
    );
    res.resume();
    expect(res.statusCode).toBe(308);
    expect(res.headers.location).toBe(`https://localhost:${e2e.port}/account?x=1`);
  });

  test("edge: TLS 1.2 refuses static RSA and CBC suites and accepts ECDHE with AES-GCM", async () => {
    const run = promisify(execFile);
    const handshake = (cipher: string) =>
      run(
        "openssl",
        ["s_client", "-connect", `127.0.0.1:${e2e.port}`, "-servername", "localhost", "-tls1_2", "-cipher", cipher],
        {
          input: "",
          timeout: 10_000,
        } as never,
      ).then(
        ({ stdout }) => String(stdout),
        (err: { stdout?: string }) => `FAILED ${err.stdout ?? ""}`,
      );
    for (const refused of ["AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"]) {
      expect(await handshake(refused), refused).toMatch(/^FAILED|Cipher is \(NONE\)/);
    }
    expect(await handshake("ECDHE-RSA-AES128-GCM-SHA256")).toMatch(/Cipher is ECDHE-RSA-AES128-GCM-SHA256/);
  });

  test("edge: malformed requests answer 400, not 500", async () => {
    expect((await send("GET", "/%E0%A4%A")).status).toBe(400);
    expect((await send("GET", "/account%")).status).toBe(400);
    expect((await send("POST", "/login", { Origin: "http://[", "Next-Action": actionId }, "[]")).status).toBe(400);
    expect((await send("POST", "/login", { ...site, "Next-Action": "not-an-action" }, "[]")).status).toBe(400);
    // Bodies Next's parsers throw on (it answered each with 500).
    const action = { ...site, "Next-Action": actionId };
    expect((await send("POST", "/login", { ...action, "Content-Type": "text/plain" }, "garbage{{")).status).toBe(400);
    expect((await send("POST", "/login", { ...action, "Content-Type": "text/plain" }, '["$Q1"]')).status).toBe(400);
    const brokenMultipart = { ...site, "Content-Type": "multipart/form-data; boundary=xyz" };
    expect((await send("POST", "/login", brokenMultipart, "--xyz\r\nbroken")).status).toBe(400);
    expect((await send("POST", "/login", { ...site, "Content-Type": "multipart/form-data" }, "x")).status).toBe(400);
  });
});

test.describe("edge: server actions need a same-site browser", () => {
  test("edge: a cross-site action POST is refused with 403 before Next", async () => {
    const res = await send(
      "POST",
      "/login",
      { ...site, "Sec-Fetch-Site": "cross-site", "Next-Action": actionId },
      "[]",
    );
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
  });

  test("edge: a no-JS form POST with neither Origin nor Sec-Fetch-Site is refused with 403", async () => {
    const res = await send(
      "POST",
      "/login",
      { "Content-Type": "application/x-www-form-urlencoded" },
      `$ACTION_ID_${actionId}=&username=x&password=y`,
    );
    expect(res.status).toBe(403);
  });

  test("edge: a foreign Origin is refused with 403 rather than Next's 500", async () => {
    const res = await send("POST", "/login", { Origin: "https://evil.example", "Next-Action": actionId }, "[]");
    expect(res.status).toBe(403);
  });
});
