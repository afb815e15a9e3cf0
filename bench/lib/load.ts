/** Load generation: autocannon at a fixed concurrency or rate, and an evenly paced open loop. */
import autocannon from "autocannon";
import { request, target } from "./http";
import { sleep } from "./log";
import { USER_AGENT } from "./settings";

export type LoadResult = {
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  timeouts: number;
  durationS: number;
};

export type LoadOptions = {
  path: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  overallRate?: number;
  method?: "GET" | "POST";
  body?: string;
  /** Called before each request is sent; returns the path to use (e.g. a different token each time). */
  nextPath?: () => string;
};

export function load(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const instance = autocannon(
      {
        url: `${target.origin}${opts.path}`,
        connections: opts.connections,
        duration: opts.duration,
        overallRate: opts.overallRate,
        timeout: 30,
        // autocannon takes an explicit undefined as "no method": pass these only when set.
        ...(opts.method ? { method: opts.method } : {}),
        ...(opts.body !== undefined ? { body: opts.body } : {}),
        headers: { "user-agent": USER_AGENT, ...opts.headers },
        tlsOptions: { rejectUnauthorized: false },
        ...(opts.nextPath
          ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: opts.nextPath!() }) }] }
          : {}),
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          latencies: latencies.sort((x, y) => x - y),
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          durationS: result.duration,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

/**
 * An open-loop load: one request every 1000/rate ms whatever the answers, latency counted from
 * when each request was due (so a slow server is not hidden by a client that waits for it).
 * autocannon's overallRate instead lets each connection send its whole per-second quota back to
 * back at the start of every second, i.e. bursts of `connections` concurrent requests.
 */
export async function pacedLoad(opts: {
  rate: number;
  seconds: number;
  method: string;
  nextPath: () => string;
  headers: Record<string, string>;
  body: Buffer;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const interval = 1000 / opts.rate;
  const total = Math.round(opts.rate * opts.seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(
      request(opts.method, opts.nextPath(), opts.headers, opts.body).then(
        (res) => {
          latencies.push(performance.now() - due);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return {
    latencies: latencies.sort((x, y) => x - y),
    statuses,
    errors,
    timeouts: 0,
    durationS: (performance.now() - started) / 1000,
  };
}

/** The answers other than `expected`, e.g. "3×500, 2 timeouts", or "none". */
export function statusSummary(
  r: { statuses: Map<number, number>; errors: number; timeouts: number },
  expected: number,
): string {
  const odd = [...r.statuses].filter(([s]) => s !== expected).map(([s, n]) => `${n}×${s}`);
  if (r.errors) odd.push(`${r.errors} errors`);
  if (r.timeouts) odd.push(`${r.timeouts} timeouts`);
  return odd.join(", ") || "none";
}
