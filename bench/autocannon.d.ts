// autocannon ships no types; the few parts bench/run.ts uses.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";
  import type { ConnectionOptions } from "node:tls";

  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    tlsOptions?: ConnectionOptions;
    /** Each entry may rewrite the request (path, body, headers) right before it is sent. */
    requests?: {
      setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
    }[];
  };

  export type Histogram = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  };

  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latency: Histogram;
    requests: Histogram & { sent: number };
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
  };

  export type Instance = EventEmitter & {
    on(
      event: "response",
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): Instance;
    on(event: "done", listener: (result: Result) => void): Instance;
    on(event: "reqError", listener: (err: Error) => void): Instance;
    stop(): void;
  };

  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
