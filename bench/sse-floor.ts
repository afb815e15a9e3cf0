/**
 * The floor of the chat bench's idle-stream memory: a bare Node HTTPS Server-Sent Events endpoint,
 * run by bench/figures/chat.ts as a child process with the same Node flags as the app instance it
 * is compared with. Every GET gets the app's stream headers, the `retry` line and one `message`
 * frame (as the app's catch-up sends a visitor's first message), then a heartbeat comment every
 * 15 s: the least an SSE endpoint holds per open stream (the socket, the response, a timer).
 *
 *   SSE_TLS_DIR=<dir with localhost-cert.pem and localhost-key.pem> node --import ./scripts/node/register.mjs bench/sse-floor.ts
 *
 * Listens on a free loopback port and prints `listening <port>`.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import https from "node:https";
import path from "node:path";

const dir = process.env.SSE_TLS_DIR;
if (!dir) throw new Error("SSE_TLS_DIR is required");

const streams = new Set<ServerResponse>();
let seq = 0;

const server = https.createServer(
  {
    cert: readFileSync(path.join(dir, "localhost-cert.pem")),
    key: readFileSync(path.join(dir, "localhost-key.pem")),
  },
  (req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    seq++;
    res.write(
      `retry: 3000\n\nid: ${seq}:1\nevent: message\ndata: ${JSON.stringify({ conversationId: seq, seq: 1 })}\n\n`,
    );
    streams.add(res);
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), 15_000);
    heartbeat.unref();
    res.on("close", () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  },
);

server.listen(0, "127.0.0.1", () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});

process.on("SIGTERM", () => {
  for (const res of streams) res.end();
  server.close(() => process.exit(0));
});
