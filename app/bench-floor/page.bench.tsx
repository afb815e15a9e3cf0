import type { Metadata } from "next";

/**
 * The benchmark's floor (see bench/run.ts): the cheapest page this build can serve, measured so
 * other pages' figures can be read as "floor + their own work". A `.bench.tsx` page: routed only
 * in the bench's build (MYACCOUNT_BENCH_BUILD=1, see next.config.mjs), never in `npm start`'s.
 *
 * What the floor still includes, because every page pays it:
 *   - server.ts: TLS, transport stamp, security headers;
 *   - proxy.ts: a fresh CSP nonce per request;
 *   - a dynamic (per-request) App Router render and RSC/HTML streaming;
 *   - the root layout (app/layout.tsx), whose header calls currentSession(). The bench requests
 *     this page WITHOUT a session cookie, so that finds no cookie: no token to decrypt and no
 *     database query.
 * This page itself reads neither the database nor the session.
 */
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Benchmark floor", robots: { index: false } };

export default function BenchFloorPage() {
  return <p>Benchmark floor.</p>;
}
