import http from "node:http";
import net from "node:net";

/**
 * A TCP proxy in front of the Postgres server, so an e2e test can make the database "go away"
 * for the app (refuse and cut connections) and come back, without stopping the shared server.
 * Control: POST http://127.0.0.1:<controlPort>/down  |  /up
 */
export async function startDbProxy(opts: {
  listenPort: number;
  controlPort: number;
  target: { host: string; port: number };
}) {
  let up = true;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(opts.target.port, opts.target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  const control = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/down") {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    } else if (req.method === "POST" && req.url === "/up") {
      up = true;
    } else {
      res.statusCode = 404;
    }
    res.end(JSON.stringify({ up }));
  });
  await new Promise<void>((r) => proxy.listen(opts.listenPort, "127.0.0.1", r));
  await new Promise<void>((r) => control.listen(opts.controlPort, "127.0.0.1", r));
  return {
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}
