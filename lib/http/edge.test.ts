import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT } from "./body-limits";
import {
  actionBodyProblem,
  actionRefusal,
  declaredTooLarge,
  guardBody,
  isWellFormedOrigin,
  malformedReason,
  redirectBase,
  serverLimits,
} from "./edge";

const site = "localhost:3000";

describe("edge: malformed requests", () => {
  it("edge: a bad percent escape in the path is malformed; one in the query is Next's business", () => {
    expect(malformedReason("/%E0%A4%A", {})).toBe("Malformed URL");
    expect(malformedReason("/account%", {})).toBe("Malformed URL");
    expect(malformedReason("/account?q=%E0%A4%A", {})).toBeNull();
    expect(malformedReason("/u/abc%2Fdef", {})).toBeNull();
    expect(malformedReason("http://evil.example/", {})).toBe("Bad request target");
  });

  it("edge: an Origin must be null or scheme://host[:port] and nothing else", () => {
    for (const bad of ["http://[", "https://", "localhost:3000", "https://a.example/path", "javascript:alert(1)", ""]) {
      expect(isWellFormedOrigin(bad), bad).toBe(false);
      expect(malformedReason("/", { origin: bad }), bad).toBe("Malformed Origin header");
    }
    for (const good of ["null", "https://localhost:3000", "https://a.example", "http://[::1]:8080"]) {
      expect(isWellFormedOrigin(good), good).toBe(true);
    }
    expect(malformedReason("/", { origin: "https://localhost:3000" })).toBeNull();
  });

  it("edge: a Next-Action id that is not hex is malformed", () => {
    expect(malformedReason("/account", { "next-action": "x".repeat(42) })).toBe("Malformed Next-Action header");
    expect(malformedReason("/account", { "next-action": "../../etc" })).toBe("Malformed Next-Action header");
    expect(malformedReason("/account", { "next-action": "7f" + "a".repeat(40) })).toBeNull();
  });
});

describe("edge: which POSTs may be server actions", () => {
  const sameOrigin = { origin: `https://${site}`, "sec-fetch-site": "same-origin" };

  it("edge: a page POST from this site's page passes; GETs are never refused", () => {
    expect(actionRefusal("POST", "/account/profile", sameOrigin, site)).toBeNull();
    expect(actionRefusal("POST", "/account/profile", { origin: `https://${site}` }, site)).toBeNull();
    expect(actionRefusal("GET", "/account/profile", {}, site)).toBeNull();
    expect(actionRefusal("HEAD", "/", { "sec-fetch-site": "cross-site" }, site)).toBeNull();
  });

  it("edge: a cross-site page POST is refused, even with a matching Origin", () => {
    expect(actionRefusal("POST", "/account/profile", { ...sameOrigin, "sec-fetch-site": "cross-site" }, site)).toBe(
      "Cross-site form posts are not accepted",
    );
    expect(actionRefusal("PUT", "/login", { "sec-fetch-site": "Cross-Site" }, site)).not.toBeNull();
  });

  it("edge: a page POST with neither Origin nor Sec-Fetch-Site is refused", () => {
    expect(actionRefusal("POST", "/account/security", {}, site)).toBe("Origin or Sec-Fetch-Site required");
    expect(actionRefusal("POST", "/account/security", { "sec-fetch-site": "same-origin" }, site)).toBeNull();
  });

  it("edge: a foreign or null Origin is refused with a 4xx reason rather than Next's 500", () => {
    expect(actionRefusal("POST", "/account", { origin: "https://evil.example" }, site)).toBe(
      "Origin does not match this site",
    );
    expect(actionRefusal("POST", "/account", { origin: "null", "sec-fetch-site": "same-origin" }, site)).not.toBeNull();
  });

  it("edge: route handlers are not actions: the RFC 8058 one-click POST needs no Origin, the JSON routes check their own", () => {
    expect(actionRefusal("POST", "/u/some.token", {}, site)).toBeNull();
    expect(actionRefusal("POST", "/u/some.token", { "sec-fetch-site": "cross-site" }, site)).toBeNull();
    expect(actionRefusal("POST", "/api/chat/send", {}, site)).toBeNull();
  });
});

describe("edge: the HTTP redirect", () => {
  it("edge: goes to APP_URL's origin when set, else localhost on the HTTPS port; never the request's Host", () => {
    expect(redirectBase("https://myaccount.example/", 3000)).toBe("https://myaccount.example");
    expect(redirectBase("https://myaccount.example:8443/base", 3000)).toBe("https://myaccount.example:8443");
    expect(redirectBase(undefined, 3000)).toBe("https://localhost:3000");
    expect(redirectBase(undefined, 443)).toBe("https://localhost");
  });
});

describe("edge: body limits while streaming", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? (server.close(() => r()), server.closeAllConnections()) : r())));

  /** A server whose handler never reads the body: guardBody alone must stop it. */
  async function listen(limit: number) {
    const seen = { over: 0, buffered: 0 };
    server = http.createServer((req, res) => {
      guardBody(req, limit, () => {
        seen.over++;
        seen.buffered = req.readableLength;
        res.writeHead(413, { Connection: "close" }).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    return { port: (server.address() as AddressInfo).port, seen };
  }

  it("edge: a chunked body is cut off as soon as it passes the limit, without buffering the rest", async () => {
    const { port, seen } = await listen(1024);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ port, host: "127.0.0.1", method: "POST", path: "/u/x" }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on("error", reject);
      // 4 MB in 64 KB chunks, no Content-Length: only counting bytes can stop it.
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => {
        while (sent < 64) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(seen.over).toBe(1);
    expect(seen.buffered).toBeLessThanOrEqual(1024);
  });

  it("edge: a body within the limit reaches the reader untouched", async () => {
    server = http.createServer((req, res) => {
      guardBody(req, ACTION_BODY_LIMIT, () => res.writeHead(413).end());
      const parts: Buffer[] = [];
      req.on("data", (d: Buffer) => parts.push(d));
      req.on("end", () => res.end(String(Buffer.concat(parts).length)));
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x".repeat(ACTION_BODY_LIMIT) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(String(ACTION_BODY_LIMIT));
  });

  it("edge: a declared Content-Length over the limit is refused unread", () => {
    expect(declaredTooLarge({ "content-length": String(50 * 1024 * 1024) }, 1024)).toBe(true);
    expect(declaredTooLarge({ "content-length": "1024" }, 1024)).toBe(false);
    expect(declaredTooLarge({ "content-length": "1" }, 0)).toBe(true);
    expect(declaredTooLarge({}, 0)).toBe(false);
  });
});

describe("edge: server timeouts", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? (server.close(() => r()), server.closeAllConnections()) : r())));
  const limits = serverLimits({
    HTTP_HEADERS_TIMEOUT_MS: 1000,
    HTTP_REQUEST_TIMEOUT_MS: 1500,
    HTTP_KEEPALIVE_TIMEOUT_MS: 500,
  });

  /** Opens a raw connection, sends `first`, then dribbles one byte every 200 ms; the reply and when. */
  function dribble(port: number, first: string): Promise<{ reply: string; ms: number }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = net.connect(port, "127.0.0.1", () => socket.write(first));
      const timer = setInterval(() => socket.writable && socket.write("a"), 200);
      let reply = "";
      socket.on("data", (d) => (reply += d));
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(timer);
        resolve({ reply, ms: Date.now() - started });
      });
    });
  }

  it("edge: headers dribbled past the headers timeout are answered 408 within about that bound", async () => {
    server = http.createServer(limits, (_req, res) => res.end("ok"));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { reply, ms } = await dribble((server.address() as AddressInfo).port, "GET / HTTP/1.1\r\nX-Slow: ");
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    // Checked once a second (connectionsCheckingInterval): never Node's default 30 s later.
    expect(ms).toBeLessThan(1000 + 1000 + 500);
  });

  it("edge: a body dribbled past the request timeout is answered 408", async () => {
    server = http.createServer(limits, (req, res) => {
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    const { reply, ms } = await dribble((server.address() as AddressInfo).port, head);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(1500 + 1000 + 500);
  });

  it("edge: a stream whose request has arrived outlives the request timeout", async () => {
    server = http.createServer(limits, (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      const beat = setInterval(() => res.write(": heartbeat\n\n"), 300);
      res.on("close", () => clearInterval(beat));
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const beats = await new Promise<number>((resolve) => {
      const req = http.get({ port, host: "127.0.0.1", path: "/api/chat/stream" }, (res) => {
        let count = 0;
        res.on("data", (d: Buffer) => (count += d.toString().split("heartbeat").length - 1));
        // Three times the request timeout.
        setTimeout(() => {
          req.destroy();
          resolve(count);
        }, 4500);
      });
    });
    expect(beats).toBeGreaterThanOrEqual(10);
  });
});

describe("edge: action bodies Next cannot parse", () => {
  const fetchAction = { "next-action": "7f" + "0".repeat(40), "content-type": "text/plain;charset=UTF-8" };

  it("edge: a fetch action's arguments must be a JSON array of inline values", async () => {
    for (const bad of ["garbage{{", "[1,2", "1", "{}", '"$@1"', '["$Q1"]', '["$B2"]', '[{"a":["$K1"]}]', ""]) {
      expect(await actionBodyProblem(fetchAction, Buffer.from(bad)), bad).toBe("Malformed action body");
    }
    for (const good of [
      "[]",
      '["demo",{"remember":true}]',
      '["$D2026-12-03T00:00:00.000Z"]',
      '["$$literal"]',
      '["$undefined"]',
    ]) {
      expect(await actionBodyProblem(fetchAction, Buffer.from(good)), good).toBeNull();
    }
  });

  it("edge: a multipart body must parse and name its boundary", async () => {
    const type = "multipart/form-data; boundary=xyz";
    const good = Buffer.from('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n');
    expect(await actionBodyProblem({ "content-type": type }, good)).toBeNull();
    expect(await actionBodyProblem({ "content-type": type }, Buffer.from("--xyz\r\nbroken"))).toBe(
      "Malformed multipart body",
    );
    expect(await actionBodyProblem({ "content-type": "multipart/form-data" }, good)).toBe(
      "Multipart body without a boundary",
    );
  });

  it("edge: a form post without Next-Action (a no-JS form) is left to Next", async () => {
    expect(
      await actionBodyProblem({ "content-type": "application/x-www-form-urlencoded" }, Buffer.from("%%%")),
    ).toBeNull();
    expect(await actionBodyProblem({ "content-type": "text/plain" }, Buffer.from("{{"))).toBeNull();
  });

  it("edge: guardBody holds a checked body back until it has all arrived, and never hands on a bad one", async () => {
    const outcomes: string[] = [];
    const server = http.createServer((req, res) => {
      guardBody(req, 1024, () => res.writeHead(413).end(), {
        problem: (body) => actionBodyProblem(req.headers, body),
        onInvalid: (problem) => {
          outcomes.push(problem);
          res.writeHead(400, { Connection: "close" }).end();
        },
      });
      let got = "";
      req.on("data", (d: Buffer) => (got += d));
      req.on("end", () => res.end(got));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/account`;
    try {
      const ok = await fetch(url, { method: "POST", headers: fetchAction, body: '["x"]' });
      expect([ok.status, await ok.text()]).toEqual([200, '["x"]']);
      const bad = await fetch(url, { method: "POST", headers: fetchAction, body: '["$Q1"]' });
      expect(bad.status).toBe(400);
      expect(outcomes).toEqual(["Malformed action body"]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
