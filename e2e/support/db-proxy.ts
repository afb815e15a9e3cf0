import http from "node:http";
import net from "node:net";

/**
 * How the proxy makes the database "go away":
 * - "reset": every open connection is cut and new ones are refused at once (a crashed or
 *   restarted server: the app's driver sees ECONNRESET / ECONNREFUSED immediately);
 * - "drop": packets are black-holed (a network partition, a firewall that drops): connections stay
 *   open and new ones are accepted, but nothing passes either way, so the app only learns of it
 *   from its own timeouts. What was sent meanwhile is held and delivered on restore, as TCP
 *   retransmission would once the path is back: a reply the app had given up on arrives late.
 */
export type CutMode = "reset" | "drop";

export type DbProxy = {
  /** The port it listens on (what `listenPort: 0` was given). */
  port(): number;
  cut(mode: CutMode): void;
  restore(): void;
  state(): "up" | CutMode;
  close(): Promise<void>;
};

/**
 * A TCP proxy in front of the Postgres server, so a test can make the database "go away" for the
 * app and come back, without stopping the shared server.
 * Control (when `controlPort` is given): POST http://127.0.0.1:<controlPort>/down (reset),
 * /down?mode=drop (black hole) | /up
 */
export async function startDbProxy(opts: {
  listenPort: number;
  controlPort?: number;
  target: { host: string; port: number };
}): Promise<DbProxy> {
  let state: "up" | CutMode = "up";
  const sockets = new Set<net.Socket>();
  /** What each side sent while black-holed, per destination socket, in order. */
  const held = new Map<net.Socket, Buffer[]>();

  const forward = (from: net.Socket, to: net.Socket) =>
    from.on("data", (chunk: Buffer) => {
      if (state === "drop") {
        const queue = held.get(to) ?? [];
        queue.push(chunk);
        held.set(to, queue);
      } else if (!to.destroyed) {
        to.write(chunk);
      }
    });

  const proxy = net.createServer((client) => {
    if (state === "reset") {
      client.resetAndDestroy();
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
      held.delete(client);
      held.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    forward(client, upstream);
    forward(upstream, client);
  });

  const cut = (mode: CutMode) => {
    state = mode;
    if (mode === "reset") {
      // An RST, not a FIN: what the driver sees when the server's host goes away abruptly.
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
      held.clear();
    }
  };
  const restore = () => {
    const wasDropping = state === "drop";
    state = "up";
    if (!wasDropping) return;
    for (const [to, chunks] of held) if (!to.destroyed) for (const c of chunks) to.write(c);
    held.clear();
  };

  const control = opts.controlPort
    ? http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://control");
        if (req.method === "POST" && url.pathname === "/down") {
          cut(url.searchParams.get("mode") === "drop" ? "drop" : "reset");
        } else if (req.method === "POST" && url.pathname === "/up") {
          restore();
        } else {
          res.statusCode = 404;
        }
        res.end(JSON.stringify({ up: state === "up", state }));
      })
    : undefined;
  await new Promise<void>((r) => proxy.listen(opts.listenPort, "127.0.0.1", r));
  if (control) await new Promise<void>((r) => control.listen(opts.controlPort, "127.0.0.1", r));
  return {
    port: () => (proxy.address() as net.AddressInfo).port,
    cut,
    restore,
    state: () => state,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise((r) => proxy.close(r)),
        control ? new Promise((r) => control.close(r)) : Promise.resolve(),
      ]);
    },
  };
}
