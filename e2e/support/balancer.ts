import http from "node:http";
import https from "node:https";
import { generate } from "selfsigned";

/**
 * A small round-robin load balancer on loopback, as a production one in front of several
 * instances: it terminates TLS itself (a throwaway self-signed certificate) and passes each
 * request to the next instance's plain-HTTP port with X-Forwarded-Proto/For/Host — what server.ts
 * believes from a peer listed in TRUST_PROXY (so the instances run with TRUST_PROXY=127.0.0.1).
 * Each answer says which instance served it in `X-Balancer-Backend` (its index), so a test can
 * show a session made on one instance is used on the other.
 */
export async function startBalancer(opts: { port: number; backends: { httpPort: number }[] }) {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
  });
  let next = 0;
  /** Which backend served each request, in order: [index, method, path]. */
  const log: { backend: number; method: string; path: string; status: number }[] = [];
  const server = https.createServer({ cert: pems.cert, key: pems.private }, (req, res) => {
    const backend = next++ % opts.backends.length;
    const headers = { ...req.headers };
    // Appended by this hop: the instance believes the right-most values (lib/http/transport.ts).
    headers["x-forwarded-proto"] = "https";
    headers["x-forwarded-host"] = req.headers.host ?? `localhost:${opts.port}`;
    headers["x-forwarded-for"] = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: opts.backends[backend].httpPort,
        method: req.method,
        path: req.url,
        headers,
      },
      (up) => {
        log.push({ backend, method: req.method ?? "", path: req.url ?? "", status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, { ...up.headers, "x-balancer-backend": String(backend) });
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // A closed tab ends its long-lived chat stream on the instance too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(opts.port, "127.0.0.1", r));
  return {
    baseURL: `https://localhost:${opts.port}`,
    log,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export { startSmtpSink, type ReceivedMail } from "@/lib/test/smtp-sink";
